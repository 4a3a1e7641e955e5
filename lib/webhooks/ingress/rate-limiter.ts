/**
 * Per-endpoint token buckets: `perMinute` requests per minute with bursts up to the same number.
 * In memory, per process (a multi-instance deployment multiplies the limit by its instances).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number; perMinute: number }>();

  /** Takes one token; answers how many seconds to wait when none is left. */
  take(key: string, perMinute: number, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    let bucket = this.#buckets.get(key);
    if (!bucket || bucket.perMinute !== perMinute) {
      bucket = { tokens: perMinute, updatedAt: now, perMinute };
      if (this.#buckets.size > 50_000) this.#buckets.clear();
      this.#buckets.set(key, bucket);
    }
    const ratePerMs = perMinute / 60_000;
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000)) };
  }
}
