// Server-only: group commit for finished RunStep rows. The attempts that concurrent runs finish in
// the same tick of the event loop are written by one statement (one round trip and one commit
// instead of one each), the way the webhook ingest writer stores requests; each caller still
// resolves only after its row is stored.
import type { SqlQuery } from "@/lib/db/client";
import { toJsonb } from "@/lib/webhooks/ingest-writer";

/** A finished attempt with a known start (the executing attempt's own row). Timestamps are ISO strings. */
export interface FinishedStepRow {
  id: string;
  runId: string;
  nodeId: string;
  nodeKind: string;
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
}

/** Timestamps are stored as UTC wall-clock values, the way Prisma stores DateTime in TIMESTAMP(3). */
const UPSERT_FINISHED_BATCH = `INSERT INTO "RunStep" (id, "runId", "nodeId", "nodeKind", attempt, status, input, output, error, truncated,
    "nextRetryAt", "reusedFromRunId", "startedAt", "finishedAt", "durationMs", warnings)
  SELECT x.id, x."runId", x."nodeId", x."nodeKind", x.attempt, x.status::"StepStatus", x.input, x.output, x.error, x.truncated,
    x."nextRetryAt"::timestamptz AT TIME ZONE 'UTC', x."reusedFromRunId", x."startedAt"::timestamptz AT TIME ZONE 'UTC',
    x."finishedAt"::timestamptz AT TIME ZONE 'UTC', x."durationMs", x.warnings
  FROM jsonb_to_recordset($1::jsonb) AS x(id text, "runId" text, "nodeId" text, "nodeKind" text, attempt int, status text, input jsonb,
    output jsonb, error jsonb, truncated boolean, "nextRetryAt" text, "reusedFromRunId" text, "startedAt" text, "finishedAt" text, "durationMs" int,
    warnings jsonb)
  ON CONFLICT ("runId", "nodeId", attempt) DO UPDATE SET status = EXCLUDED.status, input = EXCLUDED.input, warnings = EXCLUDED.warnings,
    output = CASE WHEN EXCLUDED.status = 'failed' THEN "RunStep".output ELSE EXCLUDED.output END,
    error = CASE WHEN EXCLUDED.status = 'failed' THEN EXCLUDED.error ELSE "RunStep".error END,
    truncated = EXCLUDED.truncated, "nextRetryAt" = EXCLUDED."nextRetryAt", "reusedFromRunId" = EXCLUDED."reusedFromRunId",
    "finishedAt" = EXCLUDED."finishedAt", "durationMs" = EXCLUDED."durationMs"`;

interface Pending {
  row: FinishedStepRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

class StepRowBatcher {
  #pending: Pending[] = [];

  constructor(private readonly query: SqlQuery) {}

  write(row: FinishedStepRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ row, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush() {
    // One statement may not upsert the same row twice: a repeated attempt key goes in the next statement.
    const chunks: Map<string, Pending>[] = [];
    for (const p of this.#pending.splice(0)) {
      const key = `${p.row.runId}/${p.row.nodeId}/${p.row.attempt}`;
      const chunk = chunks.find((candidate) => !candidate.has(key)) ?? chunks[chunks.push(new Map()) - 1];
      chunk.set(key, p);
    }
    for (const chunk of chunks) await this.#store([...chunk.values()]);
  }

  async #store(batch: Pending[]) {
    try {
      await this.query(UPSERT_FINISHED_BATCH, [toJsonb(batch.map((p) => p.row))], { preparedAs: "runstep_finished_batch" });
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One bad row must not fail its neighbours: store each on its own.
      for (const p of batch) await this.#store([p]);
    }
  }
}

const batchers = new WeakMap<SqlQuery, StepRowBatcher>();

/** Stores a finished attempt's row together with the rows other runs finish at the same moment. */
export function writeFinishedStepRow(query: SqlQuery, row: FinishedStepRow): Promise<void> {
  let batcher = batchers.get(query);
  if (!batcher) batchers.set(query, (batcher = new StepRowBatcher(query)));
  return batcher.write(row);
}
