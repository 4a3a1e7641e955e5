import type { Database } from "@/lib/db";
import { registerOutboxKick } from "./kick";

export interface OutboxMessage {
  /** The Inngest event id (the delivery id for webhooks), so a re-send never starts a second run. */
  id: string;
  name: string;
  data: unknown;
}

export interface OutboxRelayOptions {
  db: Database;
  /** Hands events to the engine; resolves once accepted, throws when not. Production: `(events) => inngest.send(events)`. */
  send: (events: OutboxMessage[]) => Promise<unknown>;
  batchSize?: number;
  /** How often to look for due events when nobody kicks the relay. */
  pollIntervalMs?: number;
  /** First retry delay after a failed send; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A claimed batch is hidden from other relays for this long (a crashed relay's claim expires). */
  leaseMs?: number;
  /**
   * True while the app has more urgent work (webhooks being acknowledged on this process): the
   * relay then sends at most `busyBatchSize` events (default 10) every `busyIntervalMs` (default
   * 500 ms); the rest wait in the outbox, which is durable, and go out once the burst is over.
   * Small batches keep each of the engine's inserts short: a webhook arriving meanwhile waits for it.
   */
  yieldWhile?: () => boolean;
  busyBatchSize?: number;
  busyIntervalMs?: number;
  log?: (message: string) => void;
}

/**
 * Claims up to $1 due events for $2 ms. Ordered by "nextAttemptAt" so the partial index on unsent
 * events (migration 20261127034500_outbox_claim_index) yields them in order and the claim stops
 * after $1 rows instead of sorting the whole backlog.
 */
export const CLAIM_DUE_EVENTS = `UPDATE "OutboxEvent" SET "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + $2::int * interval '1 millisecond'
   WHERE id IN (
     SELECT id FROM "OutboxEvent" WHERE "sentAt" IS NULL AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
     ORDER BY "nextAttemptAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
   RETURNING id, "eventId", "eventName", data, attempts`;

export interface OutboxRelay {
  kick(): void;
  stop(): Promise<void>;
}

interface ClaimedRow {
  id: string;
  eventId: string;
  eventName: string;
  data: unknown;
  attempts: number;
}

/**
 * Sends unsent OutboxEvent rows to the engine in batches and marks them sent; failed sends are
 * retried with exponential backoff until accepted. The rows are the queue, so nothing is lost
 * across restarts, and several relays (several app processes on PostgreSQL) never claim the same
 * row at once (FOR UPDATE SKIP LOCKED + a lease).
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const {
    db,
    send,
    batchSize = 200,
    pollIntervalMs = 1000,
    baseBackoffMs = 500,
    maxBackoffMs = 60_000,
    leaseMs = 30_000,
    yieldWhile = () => false,
    busyBatchSize = 10,
    busyIntervalMs = 500,
    log = (m: string) => console.error(m),
  } = options;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  // Kicks (new webhooks) are ignored until then: while the engine refuses events the backoff timer
  // brings the next attempt, and while the app yields to webhooks the next paced pass does.
  let holdUntil = 0;

  const schedule = (delay: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      holdUntil = 0;
      kick();
    }, delay);
  };

  /** One relay pass; answers when to look again (backoff after a failed send). */
  async function pass(): Promise<number> {
    do {
      again = false;
      const busy = yieldWhile();
      const limit = busy ? Math.min(batchSize, busyBatchSize) : batchSize;
      let claimed: ClaimedRow[];
      try {
        claimed = await db.query<ClaimedRow>(CLAIM_DUE_EVENTS, [limit, leaseMs]);
      } catch (error) {
        log(`[outbox] cannot read the outbox: ${(error as Error).message}`);
        return Math.max(pollIntervalMs, baseBackoffMs);
      }
      if (claimed.length === 0) return pollIntervalMs;
      try {
        await send(claimed.map((row) => ({ id: row.eventId, name: row.eventName, data: row.data })));
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        const attempts = Math.max(...claimed.map((r) => r.attempts)) + 1;
        const delay = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempts - 1));
        log(`[outbox] sending ${claimed.length} event(s) failed (attempt ${attempts}, retry in ${delay} ms): ${message}`);
        holdUntil = Date.now() + delay;
        await db
          .query(
            `UPDATE "OutboxEvent" SET attempts = attempts + 1, "lastError" = $2,
               "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + $3::int * interval '1 millisecond' WHERE id = ANY($1)`,
            [claimed.map((r) => r.id), message.slice(0, 2000), delay],
          )
          .catch(() => {}); // the lease expires on its own
        return delay;
      }
      holdUntil = 0;
      await markSent(claimed);
      if (busy && claimed.length === limit) {
        holdUntil = Date.now() + busyIntervalMs;
        return busyIntervalMs;
      }
      if (claimed.length === limit) again = true;
    } while (again && !stopped);
    return pollIntervalMs;
  }

  async function markSent(rows: ClaimedRow[]) {
    const ids = rows.map((r) => r.id);
    try {
      // One statement: the events are sent, and their deliveries (event id = delivery id) dispatched.
      await db.query(
        `WITH sent AS (
           UPDATE "OutboxEvent" SET "sentAt" = (now() AT TIME ZONE 'UTC'), attempts = attempts + 1, "lastError" = NULL
            WHERE id = ANY($1) RETURNING "eventId")
         UPDATE "WebhookDelivery" SET "dispatchedAt" = (now() AT TIME ZONE 'UTC')
          WHERE id IN (SELECT "eventId" FROM sent) AND "dispatchedAt" IS NULL`,
        [ids],
      );
    } catch (error) {
      // The lease expires and the events are sent again; the engine drops them by event id.
      log(`[outbox] sent ${rows.length} event(s) but could not mark them: ${(error as Error).message}`);
    }
  }

  function kick() {
    if (stopped || Date.now() < holdUntil) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((error) => {
        log(`[outbox] relay pass failed: ${(error as Error).message}`);
        return pollIntervalMs;
      })
      .then((nextDelay) => {
        running = null;
        // A kick that arrived during a failed send waits for the backoff like everything else.
        if (again && Date.now() >= holdUntil) kick();
        else schedule(nextDelay);
      });
  }

  const unregister = registerOutboxKick(kick);
  kick();

  return {
    kick,
    async stop() {
      stopped = true;
      unregister();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
