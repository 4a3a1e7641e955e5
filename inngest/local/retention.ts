// What the engine forgets: event-id dedupe entries, idempotency keys and claimed cron ticks after their 24 hours, and
// finished runs with their steps and past events once they are a day old. The engine needs none of
// it again; the app's run log (Run, RunStep) keeps its own copy of every run for the user.
import type { Database } from "@/lib/db/client";
import { sqlTime } from "./engine-context";
import { createEngineId } from "@/lib/db/ids";

const ENGINE_RETENTION_MS = 24 * 3_600_000;
/** Rows per DELETE, so each statement is a short transaction beside the engine's own work. */
const BATCH = 5_000;

export async function deleteExpiredEngineState(db: Database, now = Date.now(), batch = BATCH): Promise<{ runs: number; events: number }> {
  await db.query(`DELETE FROM "EngineEventDedupe" WHERE "expiresAt" < $1::timestamp`, [sqlTime(now)]);
  await db.query(`DELETE FROM "EngineIdempotencyKey" WHERE "expiresAt" < $1::timestamp`, [sqlTime(now)]);
  // A claimed cron tick matters only while engines could still reach its time.
  await db.query(`DELETE FROM "EngineCronTick" WHERE "createdAt" < $1::timestamp`, [sqlTime(now - ENGINE_RETENTION_MS)]);

  // Run and event ids are time-ordered (lib/db/ids.ts): every id created before the cutoff sorts below
  // the cutoff's 10-character time prefix, so the primary keys find the old rows.
  const cutoff = now - ENGINE_RETENTION_MS;
  const idsBefore = createEngineId(cutoff).slice(0, 10);
  let runs = 0;
  for (;;) {
    const [{ n }] = await db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM "EngineRun" WHERE id IN (
           SELECT id FROM "EngineRun" WHERE id < $1 AND status <> 'running' AND "endedAt" < $2::timestamp LIMIT $3)
         RETURNING id),
       steps AS (DELETE FROM "EngineStep" WHERE "runId" IN (SELECT id FROM gone))
       SELECT count(*)::int AS n FROM gone`,
      [idsBefore, sqlTime(cutoff), batch],
    );
    runs += n;
    if (n < batch) break;
  }
  let events = 0;
  for (;;) {
    // An event a running run started from stays: cancelling "the runs of this event" looks it up.
    const [{ n }] = await db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM "EngineEvent" WHERE id IN (
           SELECT id FROM "EngineEvent" WHERE id < $1
              AND id NOT IN (SELECT "eventId" FROM "EngineRun" WHERE status = 'running') LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [idsBefore, batch],
    );
    events += n;
    if (n < batch) break;
  }
  return { runs, events };
}
