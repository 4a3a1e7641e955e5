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
  log?: (message: string) => void;
}

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
    log = (m: string) => console.error(m),
  } = options;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  // While the engine refuses events, new webhooks do not trigger extra attempts: the backoff timer does.
  let backoffUntil = 0;

  const schedule = (delay: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      backoffUntil = 0;
      kick();
    }, delay);
  };

  /** One relay pass; answers when to look again (backoff after a failed send). */
  async function pass(): Promise<number> {
    do {
      again = false;
      let claimed: ClaimedRow[];
      try {
        claimed = await db.query<ClaimedRow>(
          `UPDATE "OutboxEvent" SET "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + $2::int * interval '1 millisecond'
           WHERE id IN (
             SELECT id FROM "OutboxEvent" WHERE "sentAt" IS NULL AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
             ORDER BY "createdAt" LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING id, "eventId", "eventName", data, attempts`,
          [batchSize, leaseMs],
        );
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
        backoffUntil = Date.now() + delay;
        await db
          .query(
            `UPDATE "OutboxEvent" SET attempts = attempts + 1, "lastError" = $2,
               "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + $3::int * interval '1 millisecond' WHERE id = ANY($1)`,
            [claimed.map((r) => r.id), message.slice(0, 2000), delay],
          )
          .catch(() => {}); // the lease expires on its own
        return delay;
      }
      backoffUntil = 0;
      await markSent(claimed);
      if (claimed.length === batchSize) again = true;
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
    if (stopped || Date.now() < backoffUntil) return;
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
        if (again && Date.now() >= backoffUntil) kick();
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
