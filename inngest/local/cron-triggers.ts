// Cron triggers: each engine keeps a timer for the next time of every synced cron; at that time it
// tries to claim the tick in the database and, if it won, starts the run as Inngest does (an
// `inngest/scheduled.timer` event, no sender). Several engines share the database, so the claim
// (one row per function, cron and time: "EngineCronTick") makes every tick start exactly one run.
//
// Missed times are not made up, as on Inngest: a cron's first time is the next one after the
// moment it was synced (Inngest schedules from ulid.Now() at sync and at its health check), so
// times that passed while no engine ran start nothing. A tick whose time came while this engine
// was busy still fires once, late; the next time is then counted from now.
import type { SqlQuery } from "@/lib/db/client";
import { createEngineId } from "@/lib/db/ids";
import type { CronSchedule } from "@/lib/schedules/parse-cron";
import { sqlTime, type Effects, type EngineContext } from "./engine-context";
import { createRuns } from "./run-store";
import type { FunctionDefinition } from "./sync-functions";

export const CRON_EVENT = "inngest/scheduled.timer";

/** Timers re-check at least this often, so a long wait survives clock changes. */
const MAX_TIMER_MS = 60_000;

interface PlannedTick {
  functionId: string;
  cron: CronSchedule;
  at: number;
}

export class CronTimers {
  readonly #planned = new Map<string, PlannedTick>();
  #timer: NodeJS.Timeout | null = null;
  #firing = false;
  #stopped = false;

  constructor(
    /** The clock cron times are read against (tests move it; default Date.now). */
    private readonly now: () => number,
    private readonly fire: (functionId: string, cron: CronSchedule, scheduledAt: number) => Promise<void>,
    private readonly log: (message: string) => void,
  ) {}

  /** Plans the crons of the synced functions: ones already planned keep their next time, new ones start from now. */
  install(functions: Iterable<FunctionDefinition>) {
    const seen = new Set<string>();
    for (const fn of functions) {
      for (const cron of fn.crons) {
        const key = `${fn.id}\u0000${cron.expression}`;
        seen.add(key);
        if (this.#planned.has(key)) continue;
        const at = cron.nextAfter(new Date(this.now()));
        if (at) this.#planned.set(key, { functionId: fn.id, cron, at: at.getTime() });
      }
    }
    for (const key of [...this.#planned.keys()]) if (!seen.has(key)) this.#planned.delete(key);
    this.#arm();
  }

  stop() {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#stopped || this.#firing || this.#planned.size === 0) return;
    const next = Math.min(...[...this.#planned.values()].map((tick) => tick.at));
    this.#timer = setTimeout(() => void this.#fireDue(), Math.min(MAX_TIMER_MS, Math.max(0, next - this.now())));
    this.#timer.unref();
  }

  async #fireDue() {
    this.#timer = null;
    this.#firing = true;
    try {
      for (const [key, tick] of this.#planned) {
        if (this.#stopped) return;
        const now = this.now();
        if (tick.at > now) continue;
        try {
          await this.fire(tick.functionId, tick.cron, tick.at);
        } catch (error) {
          this.log(`cron "${tick.cron.expression}" of function "${tick.functionId}" at ${new Date(tick.at).toISOString()} did not start: ${(error as Error).message}`);
        }
        const next = tick.cron.nextAfter(new Date(Math.max(tick.at, this.now())));
        if (next && this.#planned.get(key) === tick) this.#planned.set(key, { ...tick, at: next.getTime() });
        else if (!next) this.#planned.delete(key);
      }
    } finally {
      this.#firing = false;
      this.#arm();
    }
  }
}

/** Inngest's time format for cron events (Go's RFC 3339: whole seconds, "Z"). */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Claims one tick of one cron and starts its run in the caller's transaction; false when another
 * engine already did. The event is Inngest's: id and data.scheduledAt are the scheduled time.
 */
export async function startCronRun(q: SqlQuery, ctx: EngineContext, fn: FunctionDefinition, cron: CronSchedule, scheduledAt: number, fx: Effects): Promise<boolean> {
  const claimed = await q(
    `INSERT INTO "EngineCronTick" ("functionId", cron, "scheduledAt") VALUES ($1, $2, $3::timestamp)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [fn.id, cron.expression, sqlTime(scheduledAt)],
  );
  if (!claimed.length) return false;
  const at = rfc3339(scheduledAt);
  const event = { name: CRON_EVENT, data: { cron: cron.expression, scheduledAt: at, fireAt: at }, id: at, ts: scheduledAt };
  const storedId = createEngineId();
  await q(`INSERT INTO "EngineEvent" (id, "externalId", name, data, ts) VALUES ($1, $2, $3, $4::jsonb, $5)`, [
    storedId,
    event.id,
    event.name,
    JSON.stringify(event.data),
    event.ts,
  ]);
  await createRuns(q, ctx, [{ fn, event, storedEventId: storedId }], fx);
  return true;
}
