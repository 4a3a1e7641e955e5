// Server-only: the run log's retention. Finished runs (with their steps and trigger payload) that
// were created and finished more than their workspace's retentionDays ago are deleted; queued,
// running and waiting runs stay however old they are.
import type { Database } from "@/lib/db";
import { deleteInBatches } from "@/lib/db/delete-in-batches";
import { FINISHED_RUN_STATUSES } from "./run-statuses";

/** Runs per DELETE; their steps go with them (ON DELETE CASCADE). */
export const RUN_PURGE_BATCH = 500;

// Rows another transaction holds (a run being dismissed or replayed) are skipped, never waited for.
const DELETE_BATCH = `WITH doomed AS (
    SELECT id FROM "Run"
     WHERE "workspaceId" = $1 AND status IN (${FINISHED_RUN_STATUSES.map((status) => `'${status}'`).join(", ")})
       AND "createdAt" < (now() AT TIME ZONE 'UTC') - make_interval(days => $2::int)
       AND "finishedAt" < (now() AT TIME ZONE 'UTC') - make_interval(days => $2::int)
     ORDER BY "createdAt" LIMIT $3
     FOR UPDATE SKIP LOCKED),
  gone AS (DELETE FROM "Run" WHERE id IN (SELECT id FROM doomed) RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

export async function purgeExpiredRuns(db: Database, batch = RUN_PURGE_BATCH): Promise<number> {
  const workspaces = await db.query<{ id: string; retentionDays: number }>(`SELECT id, "retentionDays" FROM "Workspace"`);
  let runs = 0;
  for (const workspace of workspaces) runs += await deleteInBatches(db, DELETE_BATCH, [workspace.id, workspace.retentionDays], batch);
  return runs;
}
