// Retry policy of a node: attempts, exponential backoff with jitter, retryable HTTP statuses.
// Client-safe (the inspector shows and edits it).
import { z } from "zod";

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retries). */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  /** HTTP statuses worth retrying; other 4xx fail at once. */
  retryOnStatuses: number[];
}

/** 408, 429 and every 5xx. */
export const DEFAULT_RETRYABLE_STATUSES = [408, 429, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 520, 521, 522, 523, 524];

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  initialDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  multiplier: 2,
  retryOnStatuses: DEFAULT_RETRYABLE_STATUSES,
};

export const NO_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };

/** Inngest allows at most 20 retries of a step. */
export const MAX_ATTEMPTS_LIMIT = 21;

export const retryOverrideSchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(MAX_ATTEMPTS_LIMIT).optional().describe("Attempts in total, including the first (1 = never retry)"),
    initialDelayMs: z.number().int().min(0).max(3_600_000).optional().describe("Wait before the first retry (ms); doubles each time"),
    maxDelayMs: z.number().int().min(0).max(86_400_000).optional().describe("Longest wait between retries (ms)"),
    multiplier: z.number().min(1).max(10).optional().describe("Backoff multiplier"),
    retryOnStatuses: z.array(z.number().int().min(100).max(599)).optional().describe("HTTP statuses to retry (default 408, 429, 5xx)"),
  })
  .optional()
  .describe("Retries (leave empty to use this node's defaults)");

export type RetryOverride = z.infer<typeof retryOverrideSchema>;

export function effectiveRetryPolicy(defaults: RetryPolicy, override: RetryOverride): RetryPolicy {
  return { ...defaults, ...Object.fromEntries(Object.entries(override ?? {}).filter(([, value]) => value !== undefined)) };
}

/**
 * Delay before the retry that follows `failedAttempt` (1-based): exponential with full jitter
 * in the upper half (so retries of many runs spread out), never below a server's Retry-After.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, failedAttempt - 1));
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}
