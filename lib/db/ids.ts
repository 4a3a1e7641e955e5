// Ids of database rows, made here rather than by PostgreSQL or Prisma so that one batch can link its
// rows before inserting them. Both layouts are time-ordered with 80 random bits; there are two
// because there are two contracts: the app's tables use createRowId, and the embedded engine's
// event and run ids are ULIDs, like the ids Inngest's own event API returns (createEngineId).
import { randomFillSync } from "node:crypto";

// Ids are made on the hot path (several per webhook): draw random bytes 4 KiB at a time instead of
// one OpenSSL call per id.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** Offset of `count` fresh random bytes in `pool`. */
function takeRandom(count: number): number {
  if (poolOffset + count > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += count;
  return offset;
}

/** An app row id: "c" + milliseconds in base 36 + 80 random bits in hex (sortable, collision-resistant). */
export function createRowId(now = Date.now()): string {
  const offset = takeRandom(10);
  return `c${now.toString(36)}${pool.toString("hex", offset, offset + 10)}`;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** An engine id in the ULID layout: 48-bit millisecond time + 80 random bits, Crockford base32. */
export function createEngineId(now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const offset = takeRandom(16);
  let random = "";
  for (let i = offset; i < offset + 16; i++) random += CROCKFORD[pool[i] % 32];
  return time + random;
}
