import type { Database } from "@/lib/db";

/** Deliveries are kept at least this long whatever the retention: dedupe keys must outlive Stripe's 3-day retries. */
export const MIN_DELIVERY_RETENTION_DAYS = 3;

/**
 * Deletes deliveries older than their workspace's retentionDays (never younger than 3 days), and
 * sent outbox events older than 3 days. Meant to run on a schedule (e.g. hourly).
 */
export async function purgeExpiredDeliveries(db: Database): Promise<{ deliveries: number; outboxEvents: number }> {
  const deliveries = await db.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM "WebhookDelivery" d USING "Workspace" w
        WHERE d."workspaceId" = w.id
          AND d."receivedAt" < (now() AT TIME ZONE 'UTC') - make_interval(days => GREATEST(w."retentionDays", $1::int))
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [MIN_DELIVERY_RETENTION_DAYS],
  );
  const outbox = await db.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM "OutboxEvent" WHERE "sentAt" IS NOT NULL AND "sentAt" < (now() AT TIME ZONE 'UTC') - make_interval(days => $1::int)
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [MIN_DELIVERY_RETENTION_DAYS],
  );
  return { deliveries: deliveries[0]?.n ?? 0, outboxEvents: outbox[0]?.n ?? 0 };
}

/** Runs purgeExpiredDeliveries now and then every `intervalMs` (default hourly) until stopped. */
export function startDeliveryPurge({ db, intervalMs = 3_600_000, log = console.log }: { db: Database; intervalMs?: number; log?: (m: string) => void }): {
  stop(): void;
} {
  const run = () =>
    purgeExpiredDeliveries(db).then(
      (r) => r.deliveries + r.outboxEvents > 0 && log(`[webhooks] purged ${r.deliveries} expired deliveries and ${r.outboxEvents} sent outbox events`),
      (error) => log(`[webhooks] delivery purge failed: ${(error as Error).message}`),
    );
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
