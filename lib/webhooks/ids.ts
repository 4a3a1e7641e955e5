import { randomBytes, randomFillSync } from "node:crypto";

// Row ids are made on the hot path (two per webhook): draw random bytes 4 KiB at a time
// instead of one OpenSSL call per id.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/**
 * A sortable, collision-resistant row id (time prefix + 80 random bits). Generated here rather
 * than by Prisma so one batch can link its delivery, run and outbox rows before inserting them.
 */
export function createRowId(): string {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const random = pool.toString("hex", poolOffset, poolOffset + 10);
  poolOffset += 10;
  return `c${Date.now().toString(36)}${random}`;
}

/** An endpoint token: 192 random bits, URL-safe (base64url, 32 characters). */
export function createEndpointToken(): string {
  return randomBytes(24).toString("base64url");
}

/** A generated signing secret in the Standard Webhooks format (`whsec_` + base64 of 32 bytes). */
export function createSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** A generated shared token for header/bearer/basic schemes (URL- and header-safe). */
export function createSharedToken(): string {
  return randomBytes(32).toString("base64url");
}
