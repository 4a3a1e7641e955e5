// Cron expressions exactly as Inngest accepts them for cron triggers, so a schedule that works on
// the embedded engine works on Inngest and the other way round. Inngest validates with robfig/cron
// (pkg/inngest/trigger.go: minute, hour, day of month, month, day of week; no seconds, no
// descriptors such as @daily) and reads an optional "TZ=<zone> " or "CRON_TZ=<zone> " prefix;
// without one the schedule is in UTC. The times themselves come from croner. Client-safe.
import { Cron } from "croner";

/** Inngest refuses longer cron strings (MaxCronLength). */
export const MAX_CRON_LENGTH = 255;

export interface CronSchedule {
  /** The expression as written, prefix included (what a cron trigger carries). */
  expression: string;
  /** IANA time zone the five fields are read in. */
  timezone: string;
  /** The first fire time strictly after `after`, or null when the fields can never match. */
  nextAfter(after: Date): Date | null;
  /** The next `count` fire times after `after`. */
  nextTimes(count: number, after?: Date): Date[];
}

export class CronSyntaxError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`"${expression}" isn't a valid cron schedule: ${reason}`);
    this.name = "CronSyntaxError";
  }
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

// robfig/cron's fields and bounds (spec.go): Sunday is 0 only, 7 is out of range there.
const FIELDS = [
  { name: "minute", min: 0, max: 59, names: null },
  { name: "hour", min: 0, max: 23, names: null },
  { name: "day of month", min: 1, max: 31, names: null },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 6, names: WEEKDAYS },
] as const;

/** Parses an Inngest cron string; throws CronSyntaxError with the reason when Inngest would refuse it. */
export function parseCron(expression: string): CronSchedule {
  const fail = (reason: string): never => {
    throw new CronSyntaxError(expression, reason);
  };
  if (typeof expression !== "string" || !expression.trim()) fail("it is empty");
  if (expression.length > MAX_CRON_LENGTH) fail(`it is longer than ${MAX_CRON_LENGTH} characters`);
  let spec = expression.trim();
  let timezone = "UTC";
  const prefix = /^(?:CRON_)?TZ=(\S+)\s+/.exec(spec);
  if (prefix) {
    timezone = prefix[1];
    if (!isTimeZone(timezone)) fail(`unknown time zone "${timezone}"`);
    spec = spec.slice(prefix[0].length);
  } else if (/^(?:CRON_)?TZ=/.test(spec)) {
    fail("a time zone prefix must be followed by a space and the five fields");
  }
  if (spec.startsWith("@")) fail(`descriptors such as ${spec.split(/\s/)[0]} are not accepted: write the five fields (minute hour day-of-month month day-of-week)`);
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) fail(`expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`);
  const normalized = fields.map((field, index) => normalizeField(field, FIELDS[index], fail));

  let cron: Cron;
  try {
    cron = new Cron(normalized.join(" "), { timezone, mode: "5-part", paused: true });
  } catch (error) {
    return fail((error as Error).message.replace(/^CronPattern: /, ""));
  }
  return {
    expression,
    timezone,
    nextAfter: (after) => cron.nextRun(after),
    nextTimes: (count, after = new Date()) => cron.nextRuns(count, after),
  };
}

/** The cron string of a cron trigger for five fields read in `timezone` (no prefix for UTC). */
export function cronWithTimezone(fields: string, timezone: string | null | undefined): string {
  const zone = timezone?.trim();
  return zone && zone !== "UTC" ? `TZ=${zone} ${fields.trim()}` : fields.trim();
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks one field against robfig/cron's grammar (lists of `*`, `?`, values and ranges, each with
 * an optional `/step`) and rewrites what croner reads differently: `?` is `*`, and `5/15` means
 * `5-<max>/15`. Rejects croner's extensions (L, W, #) that Inngest would refuse.
 */
function normalizeField(field: string, spec: (typeof FIELDS)[number], fail: (reason: string) => never): string {
  const value = (token: string): number => {
    if (/^\d+$/.test(token)) {
      const n = Number(token);
      if (n < spec.min || n > spec.max) fail(`${spec.name} value ${n} is out of range (${spec.min}-${spec.max})`);
      return n;
    }
    const index = spec.names?.indexOf(token.toUpperCase() as never) ?? -1;
    if (index < 0) fail(`${spec.name} field: "${token}" is not a ${spec.names ? "number or name" : "number"}`);
    return index + spec.min;
  };
  return field
    .split(",")
    .map((part) => {
      const match = /^([^/]+)(?:\/(\d+))?$/.exec(part);
      if (!match || part.endsWith("/")) fail(`${spec.name} field: "${part}" is not valid`);
      const [, range, stepText] = match!;
      if (stepText !== undefined && Number(stepText) < 1) fail(`${spec.name} field: the step in "${part}" must be a positive number`);
      const step = stepText !== undefined ? `/${Number(stepText)}` : "";
      if (range === "*" || range === "?") return `*${step}`;
      const bounds = range.split("-");
      if (bounds.length > 2) fail(`${spec.name} field: "${range}" is not a valid range`);
      const low = value(bounds[0]);
      const high = bounds.length === 2 ? value(bounds[1]) : stepText !== undefined ? spec.max : low;
      if (low > high) fail(`${spec.name} field: the range "${range}" starts after it ends`);
      return low === high && !step ? `${low}` : `${low}-${high}${step}`;
    })
    .join(",");
}
