// Server-only: each workspace's "Keep deliveries and runs for (days)" (Workspace.retentionDays),
// applied now and then hourly: finished runs with their steps first (so deleting their deliveries
// does not first unlink them), then webhook deliveries and sent outbox events.
import type { Database } from "@/lib/db";
import { purgeExpiredRuns } from "@/lib/runs/purge-runs";
import { purgeExpiredDeliveries } from "@/lib/webhooks/deliveries/purge-deliveries";

export async function applyRetention(db: Database): Promise<{ runs: number; deliveries: number; outboxEvents: number }> {
  const runs = await purgeExpiredRuns(db);
  return { runs, ...(await purgeExpiredDeliveries(db)) };
}

/** Runs applyRetention now and then every `intervalMs` (default hourly) until stopped; a pass still going skips the next. */
export function startRetention({ db, intervalMs = 3_600_000, log = console.log }: { db: Database; intervalMs?: number; log?: (m: string) => void }): { stop(): void } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await applyRetention(db);
      if (r.runs + r.deliveries + r.outboxEvents > 0) log(`[retention] deleted ${r.runs} finished runs, ${r.deliveries} deliveries and ${r.outboxEvents} sent outbox events past retention`);
    } catch (error) {
      log(`[retention] purge failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
