// Retention deletes in short statements: each removes at most `batch` rows and reports how many,
// so no statement holds its locks for long; the next batch waits for other work queued meanwhile.
import type { SqlQuery } from "./client";

/**
 * Runs `sql` (a DELETE … RETURNING wrapped to `SELECT count(*)::int AS n`, whose last parameter is
 * the batch size) until a batch comes back short; returns the rows deleted.
 */
export async function deleteInBatches(db: { query: SqlQuery }, sql: string, params: unknown[], batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ n }] = await db.query<{ n: number }>(sql, [...params, batch]);
    total += n;
    if (n < batch) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
