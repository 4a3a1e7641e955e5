// Stores the steps the SDK checkpoints while it runs a function (several steps per request),
// for many requests at once in one statement: checkpoints arrive once per step, so they are the
// engine's most frequent write.
import type { SqlQuery } from "@/lib/db/client";

export interface CheckpointEntry {
  runId: string;
  jobId: string;
  steps: { stepId: string; name: string | null; data: unknown }[];
}

/** $1 the steps as JSON rows, $2 the worker id, $3 the entries' job ids (see storeCheckpoints). */
export const STORE_CHECKPOINTS = `WITH input AS (
       SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS ("runId" text, "jobId" bigint, "stepId" text, name text, data jsonb))
         WITH ORDINALITY AS x("runId", "jobId", "stepId", name, data, i)),
     live AS (
       SELECT j.id, j."runId" FROM "EngineJob" j
       WHERE j.id = ANY($3::bigint[]) AND j."leaseOwner" = $2::bigint
       ORDER BY j.id FOR SHARE OF j),
     inserted AS (
       INSERT INTO "EngineStep" ("runId", "stepId", name, data)
       SELECT i."runId", i."stepId", i.name, i.data FROM input i JOIN live l ON l.id = i."jobId" AND l."runId" = i."runId"
       WHERE i."stepId" IS NOT NULL ORDER BY i.i
       ON CONFLICT ("runId", "stepId") DO NOTHING RETURNING 1)
     SELECT DISTINCT "runId" FROM live`;

/**
 * Memoizes the entries' steps (in order, skipping steps already stored) for runs that are still
 * running under that job's lease held by `workerId`. Returns, per entry, whether it was accepted
 * (its run still runs under that lease; a repeated checkpoint is accepted and stores nothing).
 */
export async function storeCheckpoints(q: SqlQuery, entries: CheckpointEntry[], workerId: string): Promise<boolean[]> {
  // Every entry is at least one row (a step-less one only asks whether its run is still live).
  const rows = entries.flatMap((entry) =>
    (entry.steps.length ? entry.steps : [null]).map((step) => ({ runId: entry.runId, jobId: entry.jobId, stepId: step?.stepId ?? null, name: step?.name ?? null, data: step?.data ?? null })),
  );
  // The job's row is share-locked, not the run's updated: an ending run (which deletes its jobs)
  // waits for the steps to be stored or stores them after it ended, and a step costs no new
  // version of the run row. Steps take their place from EngineStep's sequence, in input order.
  // A leased job means a running run (finishRun ends a run and deletes its jobs in one statement),
  // so the run row is not read: with statistics from a nearly empty table, the generic plan read
  // it through the status index, every running run per checkpoint during a burst.
  const live = await q<{ runId: string }>(
    STORE_CHECKPOINTS,
    // The job ids as an array too: "id = ANY($3)" is a primary-key lookup in every plan, also the
    // generic one PostgreSQL keeps for a prepared statement after statistics that described the
    // job table as nearly empty (it then scanned the whole table per checkpoint during a burst).
    [JSON.stringify(rows), workerId, [...new Set(entries.map((entry) => entry.jobId))]],
    { preparedAs: "engine_store_checkpoints_v2" },
  );
  const accepted = new Set(live.map((row) => row.runId));
  return entries.map((entry) => accepted.has(entry.runId));
}

/**
 * storeCheckpoints as a statement of its own (autocommit). A deadlock with a transaction ending
 * one of these runs (it deletes their jobs) is retried: PostgreSQL aborted only this statement.
 */
export async function storeCheckpointsRetrying(query: SqlQuery, entries: CheckpointEntry[], workerId: string): Promise<boolean[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storeCheckpoints(query, entries, workerId);
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || attempt >= 3) throw error;
    }
  }
}
