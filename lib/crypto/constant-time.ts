import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets or signatures in constant time. Both sides are hashed first so that
 * neither the content nor the length of the expected value leaks through timing.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  // The digest comparison alone could (astronomically rarely) collide; the length check cannot leak content.
  return timingSafeEqual(da, db) && Buffer.byteLength(a) === Buffer.byteLength(b);
}
