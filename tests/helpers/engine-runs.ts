// Driving runs through an embedded engine harness the way the app does: what the outbox relay
// sends for a stored run, and waiting until the Run row says the run is over.
import type { Inngest } from "inngest";
import type { Database } from "@/lib/db/client";
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { until } from "./until";

/** Sends the run's stored run.requested event (id = run id), as the outbox relay does. */
export async function dispatchRun(db: Database, client: Inngest, runId: string): Promise<void> {
  const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: runId } });
  await client.send({ id: outbox.eventId, name: RUN_REQUESTED, data: outbox.data as unknown as RunRequestedData });
}

/** The finished run with its steps (oldest first). */
export function waitForFinishedRun(db: Database, runId: string, timeoutMs = 30_000) {
  return until(
    async () => {
      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { steps: { orderBy: [{ startedAt: "asc" }, { attempt: "asc" }] } } });
      return ["succeeded", "failed", "cancelled", "skipped"].includes(run.status) ? run : null;
    },
    `run ${runId} to finish`,
    timeoutMs,
    50,
  );
}
