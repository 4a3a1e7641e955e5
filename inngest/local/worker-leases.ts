// Who may run a job. Each engine holds a PostgreSQL advisory lock for its whole life under its
// worker id and leases jobs under that id; a lock that can be taken means its process is gone
// (killed, crashed), so its leases are released at once.
import { randomInt } from "node:crypto";
import type { Database } from "@/lib/db/client";

// Keeps worker lock ids in their own range, clear of the migration lock.
const LOCK_NAMESPACE = 0x5357 * 2 ** 32;

export interface WorkerLease {
  workerId: string;
  release(): Promise<void>;
}

export async function acquireWorkerLease(db: Database): Promise<WorkerLease> {
  const lockId = LOCK_NAMESPACE + randomInt(1, 2 ** 31);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const acquired = new Promise<void>((resolve) => (held = resolve));
  const holding = db.withExclusiveLock(lockId, async () => {
    held();
    await released;
  });
  await Promise.race([acquired, holding]);
  return {
    workerId: String(lockId),
    async release() {
      release();
      await holding;
    },
  };
}

/** Releases the leases of engines whose process is gone; returns how many jobs were freed. */
export async function releaseDeadLeases(db: Database, workerId: string): Promise<number> {
  const owners = await db.query<{ owner: string }>(
    `SELECT DISTINCT "leaseOwner"::text AS owner FROM "EngineJob" WHERE "leaseOwner" IS NOT NULL AND "leaseOwner" <> $1::bigint`,
    [workerId],
  );
  let freed = 0;
  for (const { owner } of owners) {
    await db.transaction(async (q) => {
      const [lock] = await q<{ free: boolean }>(`SELECT pg_try_advisory_xact_lock($1::bigint) AS free`, [owner]);
      if (!lock.free) return; // that engine is alive
      // A discovery call may have been in flight: call again in case its answer was lost.
      const rows = await q(
        `UPDATE "EngineJob" SET "leaseOwner" = NULL, rediscover = false WHERE "leaseOwner" = $1::bigint RETURNING id`,
        [owner],
      );
      freed += rows.length;
    });
  }
  return freed;
}
