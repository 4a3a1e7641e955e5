// Server-only: group commit for finished RunStep rows (batchPerTick). The attempts that concurrent
// runs finish in the same tick of the event loop are written by one statement; each caller still
// resolves only after its row is stored.
import type { SqlQuery } from "@/lib/db/client";
import { batchPerTick } from "@/lib/db/batch-per-tick";
import { toJsonb } from "@/lib/webhooks/ingress/ingest-writer";

/** A finished attempt with a known start (the executing attempt's own row). Timestamps are ISO strings. */
export interface FinishedStepRow {
  id: string;
  runId: string;
  nodeId: string;
  nodeKind: string;
  /** The for_each item the attempt ran for, or null outside loops. */
  itemIndex: number | null;
  attempt: number;
  status: "succeeded" | "failed";
  input: unknown;
  output: unknown;
  error: unknown;
  truncated: boolean;
  nextRetryAt: string | null;
  reusedFromRunId: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Paths expressions read that were missing, or null. */
  warnings: unknown;
  /** Lines the step printed, or null. */
  logs: unknown;
}

/** A RunStep row's key: one per attempt of a node, per for_each item (NULLS NOT DISTINCT: itemIndex null outside loops). */
export const STEP_ROW_KEY = `("runId", "nodeId", "itemIndex", attempt)`;

/**
 * A finished attempt over its existing row (started, waiting, or stored before): a failure keeps
 * the output an earlier success of the same attempt stored. Followed by the "durationMs" rule.
 */
export const UPDATE_FINISHED_ON_CONFLICT = `ON CONFLICT ${STEP_ROW_KEY} DO UPDATE SET status = EXCLUDED.status, input = EXCLUDED.input, warnings = EXCLUDED.warnings, logs = EXCLUDED.logs,
    output = CASE WHEN EXCLUDED.status = 'failed' THEN "RunStep".output ELSE EXCLUDED.output END,
    error = CASE WHEN EXCLUDED.status = 'failed' THEN EXCLUDED.error ELSE "RunStep".error END,
    truncated = EXCLUDED.truncated, "nextRetryAt" = EXCLUDED."nextRetryAt", "reusedFromRunId" = EXCLUDED."reusedFromRunId",
    "finishedAt" = EXCLUDED."finishedAt"`;

/** Timestamps are stored as UTC wall-clock values, the way Prisma stores DateTime in TIMESTAMP(3). */
const UPSERT_FINISHED_BATCH = `INSERT INTO "RunStep" (id, "runId", "nodeId", "nodeKind", attempt, status, input, output, error, truncated,
    "nextRetryAt", "reusedFromRunId", "startedAt", "finishedAt", "durationMs", warnings, "itemIndex", logs)
  SELECT x.id, x."runId", x."nodeId", x."nodeKind", x.attempt, x.status::"StepStatus", x.input, x.output, x.error, x.truncated,
    x."nextRetryAt"::timestamptz AT TIME ZONE 'UTC', x."reusedFromRunId", x."startedAt"::timestamptz AT TIME ZONE 'UTC',
    x."finishedAt"::timestamptz AT TIME ZONE 'UTC', x."durationMs", x.warnings, x."itemIndex", x.logs
  FROM jsonb_to_recordset($1::jsonb) AS x(id text, "runId" text, "nodeId" text, "nodeKind" text, attempt int, status text, input jsonb,
    output jsonb, error jsonb, truncated boolean, "nextRetryAt" text, "reusedFromRunId" text, "startedAt" text, "finishedAt" text, "durationMs" int,
    warnings jsonb, "itemIndex" int, logs jsonb)
  ${UPDATE_FINISHED_ON_CONFLICT}, "durationMs" = EXCLUDED."durationMs"`;

/** Stores one tick's rows; per row, the error that kept it from being stored, or null. */
async function storeRows(query: SqlQuery, rows: FinishedStepRow[]): Promise<(Error | null)[]> {
  // One statement may not upsert the same row twice: a repeated attempt key goes in the next statement.
  const chunks: Map<string, number>[] = [];
  rows.forEach((row, index) => {
    const key = `${row.runId}/${row.nodeId}/${row.itemIndex}/${row.attempt}`;
    const chunk = chunks.find((candidate) => !candidate.has(key)) ?? chunks[chunks.push(new Map()) - 1];
    chunk.set(key, index);
  });
  const failures: (Error | null)[] = rows.map(() => null);
  const store = async (indexes: number[]): Promise<void> => {
    try {
      await query(UPSERT_FINISHED_BATCH, [toJsonb(indexes.map((i) => rows[i]))], { preparedAs: "runstep_finished_batch" });
    } catch (error) {
      if (indexes.length === 1) failures[indexes[0]] = error as Error;
      // One bad row must not fail its neighbours: store each on its own.
      else for (const i of indexes) await store([i]);
    }
  };
  for (const chunk of chunks) await store([...chunk.values()]);
  return failures;
}

const writers = new WeakMap<SqlQuery, (row: FinishedStepRow) => Promise<Error | null>>();

/** Stores a finished attempt's row together with the rows other runs finish at the same moment. */
export async function writeFinishedStepRow(query: SqlQuery, row: FinishedStepRow): Promise<void> {
  let write = writers.get(query);
  if (!write) writers.set(query, (write = batchPerTick((rows: FinishedStepRow[]) => storeRows(query, rows))));
  const failure = await write(row);
  if (failure) throw failure;
}
