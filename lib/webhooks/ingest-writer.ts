import type { Database } from "@/lib/db";
import type { DeliveryVerdict, Prisma } from "@/lib/db/generated/client";
import { RUN_REQUESTED, type RunRequestedData } from "@/inngest/events";

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
  sizeBytes: number;
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

/** The database refused or could not be reached: the sender must retry (503). */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`The database is unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "DatabaseUnavailableError";
  }
}

type Pending =
  | { kind: "record"; delivery: DeliveryRow; resolve: () => void; reject: (e: unknown) => void }
  | { kind: "accept"; delivery: DeliveryRow; run: RunRow; resolve: (o: AcceptOutcome) => void; reject: (e: unknown) => void };

const MAX_BATCH = 400;

/**
 * Writes the deliveries, runs and outbox events of concurrent requests together: everything that
 * arrived while the previous write was in flight goes into ONE transaction of multi-row inserts.
 * A request is answered only after its transaction committed (persist before ack).
 */
export class IngestWriter {
  readonly #db: Database;
  readonly #maxInFlight: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(db: Database) {
    this.#db = db;
    // PGlite runs one statement at a time; PostgreSQL gains from a few overlapping batches.
    this.#maxInFlight = db.config.kind === "pglite" ? 1 : 4;
  }

  /** Stores a refused (or ignored) request; no run, no outbox entry. */
  record(delivery: DeliveryRow): Promise<void> {
    return new Promise((resolve, reject) => this.#enqueue({ kind: "record", delivery, resolve, reject }));
  }

  /** Stores an accepted request with its queued run and run.requested outbox event, unless its dedupe key was seen. */
  accept(delivery: DeliveryRow, run: RunRow): Promise<AcceptOutcome> {
    return new Promise((resolve, reject) => this.#enqueue({ kind: "accept", delivery, run, resolve, reject }));
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

  async #write(batch: Pending[]) {
    try {
      const outcomes = await this.#writeBatch(batch);
      batch.forEach((item, i) => (item.kind === "accept" ? item.resolve(outcomes[i]!) : item.resolve()));
    } catch (error) {
      if (batch.length > 1 && isUniqueViolation(error)) {
        // Another process took a dedupe key between our check and insert: redo one by one.
        for (const item of batch) await this.#write([item]);
        return;
      }
      const failure = new DatabaseUnavailableError(error);
      for (const item of batch) item.reject(failure);
    }
  }

  async #writeBatch(batch: Pending[]): Promise<(AcceptOutcome | undefined)[]> {
    const prisma = this.#db.prisma;
    const originals = await this.#findOriginals(batch);
    const deliveries: Prisma.WebhookDeliveryCreateManyInput[] = [];
    const runs: Prisma.RunCreateManyInput[] = [];
    const events: Prisma.OutboxEventCreateManyInput[] = [];
    const outcomes: (AcceptOutcome | undefined)[] = [];

    for (const item of batch) {
      const d = item.delivery;
      const original = item.kind === "accept" && d.dedupeKey ? originals.get(`${d.endpointId}\n${d.dedupeKey}`) : undefined;
      if (item.kind === "record" || original) {
        deliveries.push(
          toDeliveryInput(
            original ? { ...d, verdict: "duplicate", responseStatus: 200, reason: "duplicate", dedupeKey: null } : d,
            original?.deliveryId ?? null,
          ),
        );
        outcomes.push(
          original ? { kind: "duplicate", deliveryId: d.id, originalDeliveryId: original.deliveryId, originalRunId: original.runId } : undefined,
        );
        continue;
      }
      deliveries.push(toDeliveryInput(d, null));
      if (d.dedupeKey) originals.set(`${d.endpointId}\n${d.dedupeKey}`, { deliveryId: d.id, runId: item.run.id });
      runs.push({
        id: item.run.id,
        workspaceId: d.workspaceId,
        flowId: item.run.flowId,
        flowVersionId: item.run.flowVersionId,
        deliveryId: d.id,
        status: "queued",
        triggerPayload: item.run.triggerPayload as Prisma.InputJsonValue,
        createdAt: d.receivedAt,
      });
      const data: RunRequestedData = { runId: item.run.id, flowId: item.run.flowId, flowVersionId: item.run.flowVersionId, deliveryId: d.id };
      events.push({ id: `ob_${d.id}`, eventName: RUN_REQUESTED, eventId: d.id, data: data as unknown as Prisma.InputJsonValue });
      outcomes.push({ kind: "accepted", deliveryId: d.id, runId: item.run.id });
    }

    const writes: Prisma.PrismaPromise<unknown>[] = [prisma.webhookDelivery.createMany({ data: deliveries })];
    if (runs.length) writes.push(prisma.run.createMany({ data: runs }), prisma.outboxEvent.createMany({ data: events }));
    await prisma.$transaction(writes);
    return outcomes;
  }

  /** Accepted deliveries that already hold the dedupe keys of this batch's accept items. */
  async #findOriginals(batch: Pending[]) {
    const found = new Map<string, { deliveryId: string; runId: string | null }>();
    const byEndpoint = new Map<string, Set<string>>();
    for (const item of batch) {
      if (item.kind !== "accept" || !item.delivery.dedupeKey) continue;
      const keys = byEndpoint.get(item.delivery.endpointId) ?? new Set();
      keys.add(item.delivery.dedupeKey);
      byEndpoint.set(item.delivery.endpointId, keys);
    }
    if (byEndpoint.size === 0) return found;
    const rows = await this.#db.prisma.webhookDelivery.findMany({
      where: { OR: [...byEndpoint].map(([endpointId, keys]) => ({ endpointId, dedupeKey: { in: [...keys] } })) },
      select: { id: true, endpointId: true, dedupeKey: true, run: { select: { id: true } } },
    });
    for (const row of rows) found.set(`${row.endpointId}\n${row.dedupeKey}`, { deliveryId: row.id, runId: row.run?.id ?? null });
    return found;
  }
}

function toDeliveryInput(d: DeliveryRow, duplicateOfId: string | null): Prisma.WebhookDeliveryCreateManyInput {
  return {
    id: d.id,
    workspaceId: d.workspaceId,
    endpointId: d.endpointId,
    receivedAt: d.receivedAt,
    method: d.method,
    query: (d.query ?? undefined) as Prisma.InputJsonValue | undefined,
    headers: d.headers,
    // A Buffer is a Uint8Array; the cast only narrows its backing-buffer type (no copy).
    rawBody: d.rawBody as Uint8Array<ArrayBuffer> | null,
    contentType: d.contentType,
    sizeBytes: d.sizeBytes,
    sourceIp: d.sourceIp,
    verdict: d.verdict,
    responseStatus: d.responseStatus,
    reason: d.reason,
    dedupeKey: d.dedupeKey,
    duplicateOfId,
  };
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
