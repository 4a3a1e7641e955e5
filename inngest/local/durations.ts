// Durations as the SDK writes them ("1w2d3h4m5s"), Inngest's retry schedule, and the test time scale.
import { parseRetryAfter } from "@/lib/net/retry-after";

/** Environment variables (process.env or a test's own set). */
type Env = Record<string, string | undefined>;

const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds in an SDK duration string such as "2h30m" (or a plain number of ms). */
export function parseDuration(value: string | number): number {
  if (typeof value === "number") return value;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== text) {
    throw new Error(`Unsupported duration "${value}" (expected e.g. "30s", "5m", "1h30m")`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0);
}

/** When a Sleep op ends: its name is a duration ("1m") or, for sleepUntil, an ISO date. */
export function sleepDelayMs(name: string, now = Date.now()): number {
  if (/^\d{4}-\d{2}-\d{2}T/.test(name)) {
    const at = Date.parse(name);
    if (Number.isNaN(at)) throw new Error(`Invalid sleepUntil date "${name}"`);
    return Math.max(0, at - now);
  }
  return parseDuration(name);
}

// Inngest's published retry schedule: 15s, 30s, 1m, 2m, 5m, 10m, 20m, 40m, 1h, 2h (then 2h).
const RETRY_SCHEDULE_MS = [15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 1200e3, 2400e3, 3600e3, 7200e3];

/** Delay before retry number `retry` (1 = first retry): the schedule plus up to 25% jitter. */
export function retryDelayMs(retry: number, random = Math.random): number {
  const base = RETRY_SCHEDULE_MS[Math.min(Math.max(retry, 1), RETRY_SCHEDULE_MS.length) - 1];
  return Math.round(base + base * 0.25 * random());
}

/** Delay requested by a RetryAfterError: seconds, a date (as a Retry-After header), or an SDK duration. */
export function retryAfterMs(header: string, now = Date.now()): number | null {
  const asHeader = parseRetryAfter(header, now);
  if (asHeader !== undefined) return asHeader;
  try {
    return parseDuration(header.trim());
  } catch {
    return null;
  }
}

/**
 * SWITCHYARD_ENGINE_TIME_SCALE (tests only): multiplies every sleep, wait timeout and retry delay,
 * e.g. 0.001 turns Inngest's 15 s first retry into 15 ms. Default 1.
 */
export function timeScaleFromEnv(env: Env = process.env): number {
  const raw = env.SWITCHYARD_ENGINE_TIME_SCALE?.trim();
  if (!raw) return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new Error(`SWITCHYARD_ENGINE_TIME_SCALE must be a number in (0, 1] (got "${raw}")`);
  }
  return scale;
}
