// What the store functions need to know about the running engine, and what a transaction
// tells the scheduler once it committed.
import type { StepState } from "./call-serve";
import type { FunctionDefinition } from "./sync-functions";

export interface EngineContext {
  functions: Map<string, FunctionDefinition>;
  /** This worker's lease id (see worker-leases.ts). */
  workerId: string;
  /** Test-only multiplier for sleeps, wait timeouts and retry delays. */
  timeScale: number;
}

/** An event as senders (and the engine itself) send it. */
export interface IncomingEvent {
  name: string;
  data?: Record<string, unknown>;
  id?: string;
  ts?: number;
  v?: string;
  user?: Record<string, unknown>;
}

export interface Job {
  id: string;
  runId: string;
  /** "call" (request to the serve endpoint) or "timer" (sleep end, wait timeout, invoke timeout). */
  kind: "call" | "timer";
  /** "step" (discovery) or a hashed op id. */
  stepId: string;
  attempt: number;
  concurrencyKey: string | null;
  payload: { type?: "sleep" | "wait" | "invoke" } | null;
}

export interface CachedRun {
  id: string;
  functionId: string;
  event: Record<string, unknown>;
  parallel: boolean;
  steps: [string, StepState][];
}

/** Side effects collected inside a transaction, applied by the scheduler after it commits. */
export class Effects {
  /** Jobs leased to this worker: run them without claiming. */
  readonly leased: Job[] = [];
  /** Unleased work exists (limited concurrency, other owners): claim from the database. */
  claimSoon = false;
  /** Earliest future job time (ms since epoch) to wake for. */
  wakeAt: number | null = null;
  /** Runs whose state this transaction knows (created here, or read with a job handed to this worker): no read when their job starts. */
  readonly knownRuns: CachedRun[] = [];
  /** Runs that ended in this transaction. */
  readonly endedRuns: string[] = [];

  wakeFor(at: number) {
    this.wakeAt = this.wakeAt === null ? at : Math.min(this.wakeAt, at);
  }
}

export const JOB_COLUMNS = `id::text AS id, "runId", kind, "stepId", attempt, "concurrencyKey", payload`;

export function toJob(row: Record<string, unknown>): Job {
  return {
    id: String(row.id),
    runId: row.runId as string,
    kind: row.kind as Job["kind"],
    stepId: row.stepId as string,
    attempt: Number(row.attempt),
    concurrencyKey: (row.concurrencyKey as string | null) ?? null,
    payload: (row.payload as Job["payload"]) ?? null,
  };
}

/** SQL timestamp parameter (columns are UTC `timestamp` without zone). */
export function sqlTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A concurrency key carries its limit, so claims need no function lookup: "<limit>|<scope>|<value>". */
export function concurrencyLimitOf(key: string): number {
  return Number(key.slice(0, key.indexOf("|")));
}
