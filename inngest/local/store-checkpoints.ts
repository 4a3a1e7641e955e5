// Stores the steps the SDK checkpoints while it runs a function (several steps per request),
// for many requests at once in one statement: checkpoints arrive once per step, so they are the
// engine's most frequent write.
import type { SqlQuery } from "@/lib/db/client";

export interface CheckpointEntry {
  runId: string;
  jobId: string;
  steps: { stepId: string; name: string | null; data: unknown }[];
}

/**
 * Memoizes the entries' steps (in order, skipping steps already stored) for runs that are still
 * running under that job's lease held by `workerId`. Returns, per entry, whether it was accepted.
 */
export async function storeCheckpoints(q: SqlQuery, entries: CheckpointEntry[], workerId: string): Promise<boolean[]> {
  const rows = entries
    .flatMap((entry) => entry.steps.map((step) => ({ runId: entry.runId, jobId: entry.jobId, stepId: step.stepId, name: step.name, data: step.data ?? null })))
    .map((row, i) => ({ ...row, i }));
  const accepted = new Set<string>();
  if (rows.length) {
    const updated = await q<{ runId: string }>(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x("runId" text, "jobId" bigint, "stepId" text, name text, data jsonb, i int)),
       fresh AS (
         SELECT DISTINCT ON ("runId", "stepId") * FROM input i
         WHERE NOT EXISTS (SELECT 1 FROM "EngineStep" s WHERE s."runId" = i."runId" AND s."stepId" = i."stepId")
         ORDER BY "runId", "stepId", i),
       counts AS (SELECT "runId", min("jobId") AS "jobId", count(*)::int AS n FROM fresh GROUP BY "runId"),
       runs AS (
         UPDATE "EngineRun" r SET "nextSeq" = r."nextSeq" + c.n FROM counts c
         WHERE r.id = c."runId" AND r.status = 'running'
           AND EXISTS (SELECT 1 FROM "EngineJob" j WHERE j.id = c."jobId" AND j."runId" = c."runId" AND j."leaseOwner" = $2::bigint)
         RETURNING r.id, r."nextSeq" - c.n AS base),
       inserted AS (
         INSERT INTO "EngineStep" ("runId", "stepId", seq, name, data)
         SELECT f."runId", f."stepId", runs.base + (row_number() OVER (PARTITION BY f."runId" ORDER BY f.i))::int - 1, f.name, f.data
         FROM fresh f JOIN runs ON runs.id = f."runId"
         ON CONFLICT ("runId", "stepId") DO NOTHING RETURNING 1)
       SELECT id AS "runId" FROM runs`,
      [JSON.stringify(rows), workerId],
    );
    for (const row of updated) accepted.add(row.runId);
  }
  const results: boolean[] = [];
  for (const entry of entries) {
    if (accepted.has(entry.runId)) {
      results.push(true);
      continue;
    }
    // Nothing new stored for this run (a repeated checkpoint, or no steps): fine while it runs under this lease.
    const [alive] = await q(
      `SELECT 1 FROM "EngineRun" r JOIN "EngineJob" j ON j."runId" = r.id
       WHERE r.id = $1 AND r.status = 'running' AND j.id = $2::bigint AND j."leaseOwner" = $3::bigint`,
      [entry.runId, /^\d+$/.test(entry.jobId) ? entry.jobId : "0", workerId],
    );
    results.push(Boolean(alive));
  }
  return results;
}
