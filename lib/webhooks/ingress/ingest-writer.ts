import type { Database } from "@/lib/db";
import type { DeliveryVerdict } from "@/lib/db/generated/client";
import { RUN_REQUESTED } from "@/lib/runs/run-events";

/** One WebhookDelivery row as the fast path builds it. */
export interface DeliveryRow {
  id: string;
  workspaceId: string;
  endpointId: string;
  receivedAt: Date;
  method: string;
  query: Record<string, unknown> | null;
  headers: Record<string, string>;
  rawBody: Buffer | null;
  contentType: string | null;
  /** The body's size as received. */
  sizeBytes: number;
  /** rawBody holds only the start of the body (refused requests, capRefusedDelivery). */
  bodyTruncated?: boolean;
  sourceIp: string | null;
  verdict: DeliveryVerdict;
  responseStatus: number;
  reason: string | null;
  dedupeKey: string | null;
}

export interface RunRow {
  id: string;
  flowId: string;
  flowVersionId: string;
  triggerPayload: Record<string, unknown>;
}

export type AcceptOutcome =
  | { kind: "accepted"; deliveryId: string; runId: string }
  | { kind: "duplicate"; deliveryId: string; originalDeliveryId: string; originalRunId: string | null };

/**
 * Whether an error came from the database or the way to it (a SQLSTATE code, a socket error, the
 * pool or connection giving up), as opposed to a bug or an unstorable request of ours.
 */
export function isDatabaseError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (/^[0-9A-Z]{5}$/.test(code) || /^E[A-Z]+$/.test(code))) return true;
  return typeof message === "string" && /Connection terminated|connection error|timeout exceeded when trying to connect|Cannot use a pool after calling end/i.test(message);
}

/** The database refused or could not be reached: the sender must retry (503). */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`The database is unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "DatabaseUnavailableError";
  }
}

type Pending =
  | { kind: "record"; delivery: DeliveryRow; resolve: () => void; reject: (e: unknown) => void }
  | { kind: "accept"; delivery: DeliveryRow; run: RunRow; dedupeWindowMs: number | null; resolve: (o: AcceptOutcome) => void; reject: (e: unknown) => void };

const MAX_BATCH = 400;

/**
 * Writes the deliveries, runs and outbox events of concurrent requests together: everything that
 * arrived while the previous write was in flight goes into ONE transaction of multi-row inserts.
 * A request is answered only after its transaction committed (persist before ack).
 */
export class IngestWriter {
  readonly #db: Database;
  // PostgreSQL gains from a few overlapping batches.
  readonly #maxInFlight = 4;
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores a refused (or ignored) request; no run, no outbox entry. */
  record(delivery: DeliveryRow): Promise<void> {
    return new Promise((resolve, reject) => this.#enqueue({ kind: "record", delivery, resolve, reject }));
  }

  /**
   * Stores an accepted request with its queued run and run.requested outbox event, unless its dedupe
   * key was seen (within `dedupeWindowMs` when given, else as long as the deliveries are kept).
   */
  accept(delivery: DeliveryRow, run: RunRow, dedupeWindowMs: number | null = null): Promise<AcceptOutcome> {
    return new Promise((resolve, reject) => this.#enqueue({ kind: "accept", delivery, run, dedupeWindowMs, resolve, reject }));
  }

  /** Resolves once every queued write has finished. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #enqueue(item: Pending) {
    this.#queue.push(item);
    this.#schedule();
  }

  #schedule() {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    // One tick lets the requests parsed in the same event-loop turn join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        this.#inFlight++;
        void this.#write(batch).finally(() => {
          this.#inFlight--;
          if (this.#queue.length === 0 && this.#inFlight === 0) for (const done of this.#idle.splice(0)) done();
          this.#schedule();
        });
      }
    });
  }

  async #write(batch: Pending[], retried = false) {
    try {
      const outcomes = await this.#writeBatch(batch);
      batch.forEach((item, i) => (item.kind === "accept" ? item.resolve(outcomes[i]!) : item.resolve()));
    } catch (error) {
      if (!retried && (batch.length > 1 || isUniqueViolation(error))) {
        // Redo one by one: a concurrent batch (or process) may have taken a dedupe key between our
        // check and insert (the retry then answers "duplicate"), or one request's data may be
        // unstorable, which must not fail the others in its batch.
        for (const item of batch) await this.#write([item], true);
        return;
      }
      // Only the database's own failures ask the sender to retry (503); anything else is our error (500).
      const failure = isDatabaseError(error) ? new DatabaseUnavailableError(error) : error;
      for (const item of batch) item.reject(failure);
    }
  }

  async #writeBatch(batch: Pending[]): Promise<(AcceptOutcome | undefined)[]> {
    const originals = await this.#findOriginals(batch);
    const released: string[] = [];
    const rows: BatchRow[] = [];
    const outcomes: (AcceptOutcome | undefined)[] = [];

    for (const item of batch) {
      const d = item.delivery;
      let original = item.kind === "accept" && d.dedupeKey ? originals.get(`${d.endpointId}\n${d.dedupeKey}`) : undefined;
      if (original && item.kind === "accept" && item.dedupeWindowMs !== null && original.receivedMs < d.receivedAt.getTime() - item.dedupeWindowMs) {
        // Outside the endpoint's dedupe window: a new event. The old delivery gives up the key (unique per endpoint).
        released.push(original.deliveryId);
        original = undefined;
      }
      if (item.kind === "record") {
        rows.push({ delivery: d, duplicateOfId: null, run: null });
        outcomes.push(undefined);
      } else if (original) {
        rows.push({ delivery: { ...d, verdict: "duplicate", responseStatus: 200, reason: "duplicate", dedupeKey: null }, duplicateOfId: original.deliveryId, run: null });
        outcomes.push({ kind: "duplicate", deliveryId: d.id, originalDeliveryId: original.deliveryId, originalRunId: original.runId });
      } else {
        rows.push({ delivery: d, duplicateOfId: null, run: item.run });
        if (d.dedupeKey) originals.set(`${d.endpointId}\n${d.dedupeKey}`, { deliveryId: d.id, runId: item.run.id, receivedMs: d.receivedAt.getTime() });
        outcomes.push({ kind: "accepted", deliveryId: d.id, runId: item.run.id });
      }
    }

    // Rare (a key seen again after its window), so a statement of its own; should the insert then fail, the key was free anyway.
    if (released.length) await this.#db.query(`UPDATE "WebhookDelivery" SET "dedupeKey" = NULL WHERE id = ANY($1::text[])`, [released]);
    await this.#db.query(INSERT_BATCH, [batchJson(rows)], { preparedAs: "ingest_insert_batch" });
    return outcomes;
  }

  /** Accepted deliveries that already hold the dedupe keys of this batch's accept items. */
  async #findOriginals(batch: Pending[]) {
    const found = new Map<string, { deliveryId: string; runId: string | null; receivedMs: number }>();
    const endpointIds: string[] = [];
    const keys: string[] = [];
    for (const item of batch) {
      if (item.kind !== "accept" || !item.delivery.dedupeKey) continue;
      endpointIds.push(item.delivery.endpointId);
      keys.push(item.delivery.dedupeKey);
    }
    if (keys.length === 0) return found;
    const rows = await this.#db.query<{ id: string; endpointId: string; dedupeKey: string; runId: string | null; receivedMs: number }>(
      `SELECT d.id, d."endpointId", d."dedupeKey", r.id AS "runId", (extract(epoch FROM d."receivedAt" AT TIME ZONE 'UTC') * 1000)::float8 AS "receivedMs"
         FROM "WebhookDelivery" d LEFT JOIN "Run" r ON r."deliveryId" = d.id
        WHERE (d."endpointId", d."dedupeKey") IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [endpointIds, keys],
      { preparedAs: "ingest_find_originals" },
    );
    for (const row of rows) found.set(`${row.endpointId}\n${row.dedupeKey}`, { deliveryId: row.id, runId: row.runId, receivedMs: Number(row.receivedMs) });
    return found;
  }
}

/**
 * JSON text PostgreSQL's jsonb accepts: it refuses the NUL character and lone UTF-16 surrogates
 * (JSON.stringify escapes both as \uXXXX), which a sender can put in a JSON string or a query
 * parameter; they become U+FFFD (the raw body keeps the original bytes).
 */
export function toJsonb(value: unknown): string {
  return JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g, "$1\\ufffd");
}

/** Text PostgreSQL's text columns accept (no NUL characters). */
export function toPgText(value: string): string {
  return value.includes("\0") ? value.replaceAll("\0", "\ufffd") : value;
}

/**
 * ONE statement for a whole batch: its rows travel as one JSON parameter (json_to_recordset) and
 * the three inserts are data-modifying CTEs, atomic on their own, so the SQL text never changes and
 * stays prepared per connection (why, measured: docs/PERFORMANCE.md). Bodies go as hex text, decoded
 * by the database; timestamps as UTC wall-clock values, the way Prisma stores DateTime in TIMESTAMP(3).
 */
const INSERT_BATCH = `WITH input AS (
    SELECT * FROM json_to_recordset($1::json) AS x(
      id text, "workspaceId" text, "endpointId" text, "receivedAt" timestamptz, method text, query jsonb, headers jsonb,
      "rawBodyHex" text, "contentType" text, "sizeBytes" int, "bodyTruncated" boolean, "sourceIp" text, verdict "DeliveryVerdict", "responseStatus" int,
      reason text, "dedupeKey" text, "duplicateOfId" text, "runId" text, "flowId" text, "flowVersionId" text, "triggerPayload" jsonb)),
  d AS (
    INSERT INTO "WebhookDelivery" ("id", "workspaceId", "endpointId", "receivedAt", "method", "query", "headers", "rawBody",
      "contentType", "sizeBytes", "bodyTruncated", "sourceIp", "verdict", "responseStatus", "reason", "dedupeKey", "duplicateOfId")
    SELECT id, "workspaceId", "endpointId", "receivedAt" AT TIME ZONE 'UTC', method, query, headers, decode("rawBodyHex", 'hex'),
      "contentType", "sizeBytes", "bodyTruncated", "sourceIp", verdict, "responseStatus", reason, "dedupeKey", "duplicateOfId"
      FROM input
    RETURNING 1),
  r AS (
    INSERT INTO "Run" ("id", "workspaceId", "flowId", "flowVersionId", "deliveryId", "status", "triggerPayload", "createdAt")
    SELECT "runId", "workspaceId", "flowId", "flowVersionId", id, 'queued', "triggerPayload", "receivedAt" AT TIME ZONE 'UTC'
      FROM input WHERE "runId" IS NOT NULL
    RETURNING 1),
  o AS (
    INSERT INTO "OutboxEvent" ("id", "eventName", "eventId", "data", "nextAttemptAt", "createdAt")
    SELECT 'ob_' || id, '${RUN_REQUESTED}', id,
      jsonb_build_object('runId', "runId", 'flowId', "flowId", 'flowVersionId', "flowVersionId", 'deliveryId', id), -- RunRequestedData
      "receivedAt" AT TIME ZONE 'UTC', "receivedAt" AT TIME ZONE 'UTC'
      FROM input WHERE "runId" IS NOT NULL
    RETURNING 1)
  SELECT (SELECT count(*) FROM d) AS deliveries, (SELECT count(*) FROM r) AS runs, (SELECT count(*) FROM o) AS events`;

/** One delivery of a batch, with the queued run (and run.requested outbox event) it starts, if any. */
interface BatchRow {
  delivery: DeliveryRow;
  duplicateOfId: string | null;
  run: RunRow | null;
}

/** The batch as INSERT_BATCH's JSON parameter. */
function batchJson(rows: BatchRow[]): string {
  const records = rows.map(({ delivery: d, duplicateOfId, run }) => ({
    id: d.id, workspaceId: d.workspaceId, endpointId: d.endpointId, receivedAt: d.receivedAt.toISOString(), method: d.method,
    query: d.query, headers: d.headers, rawBodyHex: d.rawBody ? d.rawBody.toString("hex") : null, contentType: d.contentType,
    sizeBytes: d.sizeBytes, bodyTruncated: d.bodyTruncated ?? false, sourceIp: d.sourceIp, verdict: d.verdict, responseStatus: d.responseStatus, reason: d.reason,
    dedupeKey: d.dedupeKey, duplicateOfId,
    runId: run?.id ?? null, flowId: run?.flowId ?? null, flowVersionId: run?.flowVersionId ?? null, triggerPayload: run?.triggerPayload ?? null,
  }));
  // toJsonb: the database's JSON and text types refuse NUL characters and lone surrogates a sender can put in a body or header.
  return toJsonb(records);
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string; meta?: { code?: string } } | null;
  return e?.code === "P2002" || e?.code === "23505" || e?.meta?.code === "23505" || /unique constraint/i.test(e?.message ?? "");
}

const writers = new WeakMap<Database, IngestWriter>();

/** The writer batching this database's webhook inserts (one per database). */
export function ingestWriterFor(db: Database): IngestWriter {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new IngestWriter(db)));
  return writer;
}
