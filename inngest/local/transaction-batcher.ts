// Runs the database work of concurrent requests and step completions together: everything
// queued while one transaction commits goes into the next one (one commit instead of dozens).
import type { Database, SqlQuery } from "@/lib/db/client";

type Unit<T> = (q: SqlQuery) => Promise<T>;

interface Pending {
  unit: Unit<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class TransactionBatcher {
  #queue: Pending[] = [];
  #flushing = false;

  constructor(
    private readonly db: Database,
    private readonly maxBatch = 200,
  ) {}

  /** Runs `unit` inside a shared transaction; resolves after that transaction committed. */
  run<T>(unit: Unit<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ unit, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush() {
    this.#flushing = true;
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, this.maxBatch);
        try {
          const results = await this.#transaction(batch.map((p) => p.unit));
          batch.forEach((p, i) => p.resolve(results[i]));
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          // One unit failed (or a deadlock with another process): retry each on its own so one
          // bad unit cannot fail its neighbours.
          for (const p of batch) {
            try {
              p.resolve((await this.#transaction([p.unit]))[0]);
            } catch (single) {
              p.reject(single);
            }
          }
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #transaction(units: Unit<unknown>[]): Promise<unknown[]> {
    const results: unknown[] = [];
    await this.db.transaction(async (q) => {
      for (const unit of units) results.push(await unit(q));
    });
    return results;
  }
}
