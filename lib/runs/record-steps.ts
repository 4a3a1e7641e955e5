// Server-only: writes RunStep rows as a run progresses, one row per node attempt. Writes are
// upserts keyed by (run, node, attempt) because a step may execute twice. Plain SQL, each a single
// prepared statement: these run several times per run, where Prisma's query compiler cost more CPU
// than the database (docs/PERFORMANCE.md).
import type { SqlQuery } from "@/lib/db/client";
import type { ExpressionWarning } from "@/lib/expressions/missing-path";
import type { HandledAs } from "@/lib/nodes/shared/error-handling";
import { createRowId } from "@/lib/db/ids";
import type { StepLogLine } from "@/lib/nodes/node-runner";
import { toJsonb } from "@/lib/webhooks/ingress/ingest-writer";
import { prepareForStorage, serializeError, unexpectedErrorStack } from "./prepare-for-storage";
import { STEP_ROW_KEY, UPDATE_FINISHED_ON_CONFLICT, writeFinishedStepRow } from "./step-row-batcher";

/** What the recorders need of the database: its plain query function. */
export interface StepWriter {
  query: SqlQuery;
}

export interface AttemptKey {
  runId: string;
  nodeId: string;
  nodeKind: string;
  attempt: number;
  /** The for_each item this attempt ran for; absent outside loops. */
  itemIndex?: number | null;
}

/** Timestamps are stored as UTC wall-clock values, the way Prisma stores DateTime in TIMESTAMP(3). */
const utc = (n: number) => `($${n}::timestamptz AT TIME ZONE 'UTC')`;
const jsonOrNull = (value: unknown) => (value === null || value === undefined ? null : toJsonb(value));

const UPSERT_STARTED = `INSERT INTO "RunStep" (id, "runId", "nodeId", "nodeKind", attempt, status, "startedAt", "itemIndex")
  VALUES ($1, $2, $3, $4, $5, 'running', ${utc(6)}, $7)
  ON CONFLICT ${STEP_ROW_KEY} DO UPDATE SET status = 'running', "startedAt" = EXCLUDED."startedAt", "finishedAt" = NULL, "durationMs" = NULL`;

export async function recordAttemptStarted(db: StepWriter, key: AttemptKey, startedAt: Date): Promise<void> {
  await db.query(UPSERT_STARTED, [createRowId(), key.runId, key.nodeId, key.nodeKind, key.attempt, startedAt.toISOString(), key.itemIndex ?? null], { preparedAs: "runstep_started" });
}

/**
 * A finished attempt (succeeded or failed) without a known start: the existing row's start counts
 * (the attempt was recorded as started or waiting earlier), else the finish.
 */
const UPSERT_FINISHED_UNTIMED = `INSERT INTO "RunStep" (id, "runId", "nodeId", "nodeKind", attempt, status, input, output, error, truncated,
    "nextRetryAt", "reusedFromRunId", "startedAt", "finishedAt", "durationMs", warnings, "itemIndex", logs)
  VALUES ($1, $2, $3, $4, $5, $6::"StepStatus", $7::jsonb, $8::jsonb, $9::jsonb, $10, ${utc(11)}, $12, ${utc(13)}, ${utc(13)}, 0, $14::jsonb, $15, $16::jsonb)
  ${UPDATE_FINISHED_ON_CONFLICT},
    "durationMs" = round(extract(epoch FROM EXCLUDED."finishedAt" - "RunStep"."startedAt") * 1000)::int`;

async function upsertFinished(
  db: StepWriter,
  key: AttemptKey,
  row: {
    status: "succeeded" | "failed";
    input: unknown;
    output: unknown;
    error: unknown;
    truncated: boolean;
    nextRetryAt: Date | null;
    reusedFromRunId: string | null;
    startedAt?: Date;
    finishedAt?: Date;
    warnings: ExpressionWarning[] | undefined;
    logs: StepLogLine[] | undefined;
    secrets: string[];
  },
): Promise<void> {
  const finishedAt = row.finishedAt ?? new Date();
  const warnings = row.warnings?.length ? prepareForStorage(row.warnings, { secrets: row.secrets }).value : null;
  // Code can print a secret it was given: console lines are scrubbed like outputs.
  const logs = row.logs?.length ? prepareForStorage(row.logs, { secrets: row.secrets }).value : null;
  if (row.startedAt) {
    // The executing attempt's own row (the hot path, several per run): stored with other runs' rows.
    return writeFinishedStepRow(db.query, {
      id: createRowId(), ...key, itemIndex: key.itemIndex ?? null, status: row.status, input: row.input ?? null, output: row.output ?? null, error: row.error ?? null, truncated: row.truncated,
      nextRetryAt: row.nextRetryAt?.toISOString() ?? null, reusedFromRunId: row.reusedFromRunId, startedAt: row.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(), durationMs: finishedAt.getTime() - row.startedAt.getTime(), warnings, logs,
    });
  }
  await db.query(
    UPSERT_FINISHED_UNTIMED,
    [
      createRowId(), key.runId, key.nodeId, key.nodeKind, key.attempt, row.status, jsonOrNull(row.input), jsonOrNull(row.output), jsonOrNull(row.error),
      row.truncated, row.nextRetryAt?.toISOString() ?? null, row.reusedFromRunId, finishedAt.toISOString(), jsonOrNull(warnings), key.itemIndex ?? null, jsonOrNull(logs),
    ],
    { preparedAs: "runstep_finished_untimed" },
  );
}

export async function recordAttemptSucceeded(
  db: StepWriter,
  key: AttemptKey,
  details: { input: unknown; output: unknown; secrets: string[]; startedAt?: Date; reusedFromRunId?: string; warnings?: ExpressionWarning[]; logs?: StepLogLine[] },
): Promise<void> {
  const input = prepareForStorage(details.input, { secrets: details.secrets });
  const output = prepareForStorage(details.output, { secrets: details.secrets });
  await upsertFinished(db, key, {
    status: "succeeded",
    input: input.value,
    output: output.value,
    error: null,
    truncated: input.truncated || output.truncated,
    nextRetryAt: null,
    reusedFromRunId: details.reusedFromRunId ?? null,
    startedAt: details.startedAt,
    warnings: details.warnings,
    logs: details.logs,
    secrets: details.secrets,
  });
}

/** Marks the attempt waiting (sleep, event, approval) and its run with it, in one statement: a reader never sees the step waiting while its run still says running. */
const UPSERT_WAITING = `WITH step AS (
    INSERT INTO "RunStep" (id, "runId", "nodeId", "nodeKind", attempt, status, input, output, truncated, "startedAt", "itemIndex")
    VALUES ($1, $2, $3, $4, $5, 'waiting', $6::jsonb, $7::jsonb, $8, ${utc(9)}, $10)
    ON CONFLICT ${STEP_ROW_KEY} DO UPDATE SET status = 'waiting', input = EXCLUDED.input, output = EXCLUDED.output, truncated = EXCLUDED.truncated
    RETURNING 1)
  UPDATE "Run" SET status = 'waiting' WHERE id = $2 AND status = 'running' AND EXISTS (SELECT 1 FROM step)`;

export async function recordAttemptWaiting(db: StepWriter, key: AttemptKey, details: { input: unknown; output: unknown; secrets: string[]; startedAt: Date }) {
  const input = prepareForStorage(details.input, { secrets: details.secrets });
  const output = prepareForStorage(details.output, { secrets: details.secrets });
  await db.query(UPSERT_WAITING, [
    createRowId(), key.runId, key.nodeId, key.nodeKind, key.attempt, jsonOrNull(input.value), jsonOrNull(output.value), input.truncated || output.truncated, details.startedAt.toISOString(), key.itemIndex ?? null,
  ]);
}

export async function recordAttemptFailed(
  db: StepWriter,
  key: AttemptKey,
  details: { input: unknown; error: unknown; secrets: string[]; startedAt?: Date; finishedAt?: Date; nextRetryAt: Date | null; warnings?: ExpressionWarning[]; logs?: StepLogLine[]; handled?: HandledAs },
): Promise<Record<string, unknown>> {
  const input = prepareForStorage(details.input, { secrets: details.secrets });
  const error = serializeError(details.error, details.secrets);
  error.retryable = details.nextRetryAt !== null;
  // The last attempt of a node whose onError setting lets the run go on (lib/nodes/shared/error-handling.ts).
  if (details.handled && details.nextRetryAt === null) error.handled = details.handled;
  // Users see the message; where in the server an unexplained error came from is for the operator.
  const stack = unexpectedErrorStack(details.error, details.secrets);
  if (stack) console.error(`[runs] run ${key.runId} node "${key.nodeId}" attempt ${key.attempt} failed: ${stack}`);
  await upsertFinished(db, key, {
    status: "failed",
    input: input.value,
    output: null,
    error,
    truncated: input.truncated,
    nextRetryAt: details.nextRetryAt,
    reusedFromRunId: null,
    startedAt: details.startedAt,
    finishedAt: details.finishedAt,
    warnings: details.warnings,
    logs: details.logs,
    secrets: details.secrets,
  });
  return error;
}

/** Nodes that did not run: inactive branches, other triggers, or below a failed node. */
export async function recordSkipped(db: StepWriter, runId: string, nodes: { nodeId: string; nodeKind: string; reason: string }[]): Promise<void> {
  if (nodes.length === 0) return;
  const now = new Date().toISOString();
  const rows = nodes.map((node) => ({ id: createRowId(), nodeId: node.nodeId, nodeKind: node.nodeKind, output: { skipped: node.reason } }));
  await db.query(
    `INSERT INTO "RunStep" (id, "runId", "nodeId", "nodeKind", attempt, status, output, "startedAt", "finishedAt", "durationMs")
     SELECT x.id, $2, x."nodeId", x."nodeKind", 1, 'skipped', x.output, ${utc(3)}, ${utc(3)}, 0
       FROM json_to_recordset($1::json) AS x(id text, "nodeId" text, "nodeKind" text, output jsonb)
     ON CONFLICT ${STEP_ROW_KEY} DO NOTHING`,
    [toJsonb(rows), runId, now],
  );
}
