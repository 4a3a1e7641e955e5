// The embedded engine: event API, function sync, scheduler and workers, all inside the app process.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { constantTimeEqual } from "@/lib/crypto/constant-time";
import { batchPerTick } from "@/lib/db/batch-per-tick";
import type { Database, SqlQuery } from "@/lib/db/client";
import { readBody } from "@/lib/net/read-body";
import type { CronSchedule } from "@/lib/schedules/parse-cron";
import { applyCallResult } from "./apply-call-result";
import { callServe, type CallResult, type InProcessServe, type OutgoingOp } from "./call-serve";
import { timeScaleFromEnv } from "./durations";
import { CHECKPOINT_PATH_PREFIX, ENGINE_PATH_PREFIX, SERVE_PATH, embeddedEngineKeys, registerInProcessEngine, type InProcessRequest } from "./embedded-config";
import { CronTimers, startCronRun } from "./cron-triggers";
import { Effects, JOB_COLUMNS, sqlTime, toJob, type CachedRun, type EngineContext, type IncomingEvent, type Job } from "./engine-context";
import { finishRun, recordEvents } from "./record-events";
import { deleteExpiredEngineState } from "./retention";
import { RUN_STEPS_JSON, deleteJob, fireTimer, handOffSlot, leaseLimitedJobs, toCachedRun } from "./run-store";
import { storeCheckpointsRetrying, type CheckpointEntry } from "./store-checkpoints";
import { syncFunctions, type FunctionDefinition } from "./sync-functions";
import { TransactionBatcher } from "./transaction-batcher";
import { acquireWorkerLease, releaseDeadLeases, type WorkerLease } from "./worker-leases";

/**
 * Node fires a timer longer than 2^31 - 1 ms (24.8 days) after 1 ms: a longer sleep (a Delay node
 * allows a year) made the engine wake every millisecond until it ended. Waking earlier than due is
 * harmless: the pump finds nothing due and sets the timer again.
 */
const MAX_WAKE_DELAY_MS = 60 * 60 * 1000;

export interface EmbeddedEngineOptions {
  db: Database;
  /** The app's origin as reachable from this process, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  /** Path of the SDK serve handler on that origin (default /api/inngest). */
  servePath?: string;
  /** Keys shared with the SDK client (default: this process's embeddedEngineKeys()). */
  eventKey?: string;
  signingKey?: string;
  /** Serve calls in flight at once (default 64). */
  maxConcurrency?: number;
  /** Test-only multiplier for sleeps, timeouts and retry delays (default SWITCHYARD_ENGINE_TIME_SCALE or 1). */
  timeScale?: number;
  /**
   * Let the SDK run consecutive steps in one request and checkpoint each to the engine (SDK v4's
   * async checkpointing; default true). Off: one request per step, as older Inngest servers do.
   */
  checkpointing?: boolean;
  /**
   * True while the app has more urgent work (e.g. webhooks being acknowledged on this process):
   * the engine then runs at most `busyConcurrency` calls (default 1), starts at most one call every
   * `busyIntervalMs` (default 100), and catches up afterwards.
   */
  yieldWhile?: () => boolean;
  busyConcurrency?: number;
  busyIntervalMs?: number;
  /**
   * The app's serve handler as a fetch-style function in this process (`serve` from inngest/edge):
   * calls to the serve URL then skip HTTP. The SDK client's own requests to the engine (events,
   * checkpoints) skip it too when the client uses `embeddedFetch` (embedded-config.ts).
   */
  serveInProcess?: InProcessServe;
  /**
   * How often to read the function list again (default 60 s): scheduled flows add and remove cron
   * functions, and another app instance sharing the database may have changed them.
   */
  resyncIntervalMs?: number;
  /** Tests only: the clock cron triggers read their times against (default Date.now). */
  cronClock?: () => number;
  /** Fallback database poll for due work (default 1000 ms); new work wakes the scheduler directly. */
  pollIntervalMs?: number;
  log?: (message: string) => void;
}

/**
 * The concurrency keys with due unleased jobs, found by hopping from key to key through the
 * partial index (a loose index scan), then one index probe per key for a due job: the cost grows
 * with the number of keys, not with the backlog. The probe is a scalar subquery with LIMIT 1 on
 * purpose: written as EXISTS, it was planned as a hash semi-join over every unleased job once a
 * burst outgrew the table's statistics (docs/PERFORMANCE.md).
 */
export const CLAIMABLE_CONCURRENCY_KEYS = `WITH RECURSIVE walk AS (
     SELECT min("concurrencyKey") AS key FROM "EngineJob" WHERE "leaseOwner" IS NULL AND "concurrencyKey" IS NOT NULL
     UNION ALL
     SELECT (SELECT min(j."concurrencyKey") FROM "EngineJob" j
              WHERE j."leaseOwner" IS NULL AND j."concurrencyKey" IS NOT NULL AND j."concurrencyKey" > walk.key)
       FROM walk WHERE walk.key IS NOT NULL)
   SELECT key FROM walk
    WHERE key IS NOT NULL AND (
      SELECT 1 FROM "EngineJob" j WHERE j."leaseOwner" IS NULL AND j."concurrencyKey" = walk.key AND j."runAt" <= $1::timestamp LIMIT 1
    ) IS NOT NULL`;


export interface EngineStatus {
  mode: "embedded";
  synced: boolean;
  functions: string[];
  syncError: string | null;
  activeCalls: number;
  queuedCalls: number;
  workerId: string;
}

const MAX_EVENT_REQUEST_BYTES = 3 * 1024 * 1024;
const CHECKPOINT_REQUEST_BYTES = 16 * 1024 * 1024;

export class EmbeddedEngine {
  readonly ctx: EngineContext;
  /** Resolves after the first sync with the serve endpoint; rejects with the reason it cannot run the app's functions. */
  readonly ready: Promise<void>;
  #resolveReady!: () => void;
  #rejectReady!: (error: Error) => void;
  #synced = false;
  #syncError: string | null = null;
  #stopping = false;
  readonly #batcher: TransactionBatcher;
  readonly #ready: Job[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #runs = new Map<string, CachedRun>();
  /** Jobs whose current request stored steps through the checkpoint API (their cached run is stale). */
  readonly #checkpointed = new Set<string>();
  #claimWanted = true;
  #pumpScheduled = false;
  #lastStartAt = -Infinity;
  #claiming = false;
  #wakeTimer: NodeJS.Timeout | null = null;
  #wakeTimerAt = Infinity;
  #pollTimer: NodeJS.Timeout | null = null;
  #yieldPoll: NodeJS.Timeout | null = null;
  #sweepTimer: NodeJS.Timeout | null = null;
  #cleanupTimer: NodeJS.Timeout | null = null;
  #resyncTimer: NodeJS.Timeout | null = null;
  readonly #maxConcurrency: number;
  readonly #serveUrl: string;
  readonly #keys: { eventKey: string; signingKey: string };
  readonly #hashedSigningKey: string;
  readonly #log: (message: string) => void;
  readonly #cronTimers: CronTimers;
  #unregisterInProcess: (() => void) | null = null;

  constructor(
    private readonly options: EmbeddedEngineOptions,
    private readonly lease: WorkerLease,
  ) {
    this.ctx = { functions: new Map(), workerId: lease.workerId, timeScale: options.timeScale ?? timeScaleFromEnv() };
    this.#batcher = new TransactionBatcher(options.db);
    this.#maxConcurrency = options.maxConcurrency ?? 64;
    this.#serveUrl = new URL(options.servePath ?? SERVE_PATH, options.appUrl).toString();
    const defaults = embeddedEngineKeys();
    this.#keys = { eventKey: options.eventKey ?? defaults.eventKey, signingKey: options.signingKey ?? defaults.signingKey };
    this.#hashedSigningKey = hashedSigningKey(this.#keys.signingKey);
    this.#log = options.log ?? ((message) => console.log(`[engine] ${message}`));
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.ready.catch(() => {}); // reported through status() and to whoever awaits it
    this.#cronTimers = new CronTimers(options.cronClock ?? Date.now, (functionId, cron, scheduledAt) => this.#startCronRun(functionId, cron, scheduledAt), this.#log);
    if (options.serveInProcess) this.#unregisterInProcess = registerInProcessEngine(new URL(options.appUrl).origin, (request) => this.handleFetch(request));
  }

  /** Syncs with the serve endpoint (retrying while the server is still starting), then starts working. */
  async begin(): Promise<void> {
    // Next.js may still be compiling in development: keep trying for a while.
    const deadline = Date.now() + 5 * 60_000;
    for (;;) {
      if (this.#stopping) return;
      try {
        const definitions = await syncFunctions(this.#serveUrl, this.#keys.signingKey);
        this.#installFunctions(definitions);
        break;
      } catch (error) {
        const message = (error as Error).message;
        const unreachable = /fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(message + String((error as Error).cause ?? ""));
        if (unreachable && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          continue;
        }
        this.#syncError = unreachable ? `Cannot reach the serve endpoint ${this.#serveUrl}: ${message}` : message;
        this.#log(`sync failed: ${this.#syncError}`);
        this.#rejectReady(new Error(this.#syncError));
        return;
      }
    }
    this.#synced = true;
    this.#resolveReady();
    this.#log(`serving ${this.ctx.functions.size} function(s) from ${this.#serveUrl}`);
    await releaseDeadLeases(this.options.db, this.lease.workerId).catch((error) => this.#log(`lease recovery failed: ${error.message}`));
    const poll = this.options.pollIntervalMs ?? 1000;
    this.#pollTimer = setInterval(() => this.#wake(), poll);
    this.#pollTimer.unref();
    // Other engines sharing the database may die; free their jobs soon after.
    this.#sweepTimer = setInterval(() => {
      void releaseDeadLeases(this.options.db, this.lease.workerId)
        .then((freed) => freed && this.#wake())
        .catch(() => {});
    }, Math.max(poll * 2, 1000));
    this.#sweepTimer.unref();
    this.#cleanupTimer = setInterval(() => void this.#deleteExpiredState(), 10 * 60_000);
    this.#cleanupTimer.unref();
    this.#resyncTimer = setInterval(() => {
      this.resync().catch((error: Error) => this.#stopping || this.#log(`re-sync failed (keeping the functions synced before): ${error.message}`));
    }, this.options.resyncIntervalMs ?? 60_000);
    this.#resyncTimer.unref();
    void this.#deleteExpiredState();
    this.#wake();
  }

  /** Forgets expired dedupe entries and idempotency keys, and day-old finished runs and events (retention.ts). */
  async #deleteExpiredState() {
    try {
      await deleteExpiredEngineState(this.options.db);
    } catch (error) {
      if (!this.#stopping) this.#log(`cleanup failed: ${(error as Error).message}`);
    }
  }

  /** Re-reads the functions from the serve endpoint (after a deploy or code reload). */
  async resync(): Promise<void> {
    const definitions = await syncFunctions(this.#serveUrl, this.#keys.signingKey);
    if (!this.#stopping) this.#installFunctions(definitions);
  }

  #installFunctions(definitions: FunctionDefinition[]) {
    this.ctx.functions.clear();
    for (const definition of definitions) this.ctx.functions.set(definition.id, definition);
    this.#cronTimers.install(definitions);
  }

  async #startCronRun(functionId: string, cron: CronSchedule, scheduledAt: number): Promise<void> {
    if (this.#stopping) return;
    await this.#transact(async (q, fx) => {
      const fn = this.ctx.functions.get(functionId);
      return fn ? startCronRun(q, this.ctx, fn, cron, scheduledAt, fx) : false;
    });
  }

  // ───────────── HTTP: the event API the SDK's inngest.send() posts to ─────────────

  /** Serves `<ENGINE_PATH_PREFIX>/…` and the SDK's `/v1/checkpoint/…`; returns false for every other path. */
  async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? "/").split("?")[0];
    if (!this.#owns(path)) return false;
    let answer: { status: number; body: unknown };
    try {
      const limit = path.startsWith(CHECKPOINT_PATH_PREFIX) ? CHECKPOINT_REQUEST_BYTES : MAX_EVENT_REQUEST_BYTES;
      answer = await this.#answer(req.method ?? "GET", path, req.headers.authorization ?? "", () => readText(req, limit));
    } catch (error) {
      answer = this.#errorAnswer(error);
    }
    reply(res, answer.status, answer.body);
    return true;
  }

  /**
   * The same API for a fetch `Request` made inside this process (the SDK client's `fetch` while the
   * engine runs here: embedded-config.ts): no socket, no HTTP parsing. Null for other paths.
   */
  async handleFetch(request: InProcessRequest): Promise<Response | null> {
    const path = request.url.pathname;
    if (!this.#owns(path)) return null;
    let answer: { status: number; body: unknown };
    try {
      answer = await this.#answer(request.method, path, request.authorization, () => request.text());
    } catch (error) {
      answer = this.#errorAnswer(error);
    }
    return Response.json(answer.body, { status: answer.status });
  }

  #owns(path: string): boolean {
    // The SDK resolves its API paths ("/v1/checkpoint/…") against the origin, not the base path.
    return path.startsWith(CHECKPOINT_PATH_PREFIX) || path === ENGINE_PATH_PREFIX || path.startsWith(`${ENGINE_PATH_PREFIX}/`);
  }

  async #answer(method: string, path: string, authorization: string, readText: () => Promise<string>): Promise<{ status: number; body: unknown }> {
    const isApi = path.startsWith(CHECKPOINT_PATH_PREFIX);
    const rest = isApi ? path : path.slice(ENGINE_PATH_PREFIX.length);
    const eventPath = /^\/e\/([^/]+)\/?$/.exec(rest);
    const checkpointPath = /^\/v1\/checkpoint\/([^/]+)\/async$/.exec(rest);
    if (checkpointPath && method === "POST") {
      if (!constantTimeEqual(authorization, `Bearer ${this.#hashedSigningKey}`)) return { status: 401, body: { error: "Unauthorized", status: 401 } };
      const body = JSON.parse(await readText()) as { run_id?: string; qi_id?: string; steps?: OutgoingOp[] };
      const runId = decodeURIComponent(checkpointPath[1]);
      const stored = await this.#storeCheckpoint(runId, String(body.qi_id ?? ""), body.steps ?? []);
      // 409 tells the SDK this request is stale (run ended or job taken over): it stops at once.
      return stored ? { status: 200, body: { status: 200 } } : { status: 409, body: { error: "run is not running under this request", status: 409 } };
    }
    if (eventPath && method === "POST") {
      if (!constantTimeEqual(decodeURIComponent(eventPath[1]), this.#keys.eventKey)) return { status: 401, body: { error: "Event key not found", status: 401 } };
      const events = parseEvents(await readText());
      const ids = await this.sendEvents(events);
      return { status: 200, body: { ids, status: 200 } };
    }
    return { status: 404, body: { error: `No engine endpoint ${method} ${path}`, status: 404 } };
  }

  #errorAnswer(error: unknown): { status: number; body: unknown } {
    const status = error instanceof BadRequest ? error.status : 500;
    if (status === 500) this.#log(`event API error: ${(error as Error).message}`);
    return { status, body: { error: (error as Error).message, status } };
  }

  /** Stores events and starts what they trigger (the same path the event API takes). */
  async sendEvents(events: IncomingEvent[]): Promise<string[]> {
    await this.ready;
    return this.#transact((q, fx) => recordEvents(q, this.ctx, events, fx));
  }

  /** Queues a checkpoint; those arriving in the same tick are stored in one statement. */
  async #storeCheckpoint(runId: string, jobId: string, steps: OutgoingOp[]): Promise<boolean> {
    if (!/^\d+$/.test(jobId)) return false;
    const stored = await this.#storeCheckpointBatched({
      runId,
      jobId,
      steps: steps
        .filter((op) => op.op === "StepRun" || op.op === "Step")
        .map((op) => ({ stepId: op.id, name: op.displayName ?? op.name ?? null, data: op.data ?? null })),
    });
    if (stored) this.#checkpointed.add(jobId);
    return stored;
  }

  // One statement, committed on its own: waiting for the batcher's transaction (BEGIN, statement,
  // COMMIT, one batch after another) put three round trips in series before every next step.
  readonly #storeCheckpointBatched = batchPerTick((entries: CheckpointEntry[]) =>
    storeCheckpointsRetrying(this.options.db.query, entries, this.lease.workerId),
  );

  /** Cancels a running run (the run log's cancel button). False when it was not running. */
  async cancelRun(runId: string): Promise<boolean> {
    return this.#transact((q, fx) => finishRun(q, this.ctx, runId, { status: "cancelled" }, fx));
  }

  /**
   * Cancels the running runs started by the event the app sent with `id = eventId` (e.g. a run
   * request sent with the app's run id). Returns the engine run ids cancelled.
   */
  async cancelRunsTriggeredBy(eventId: string): Promise<string[]> {
    const runs = await this.options.db.query<{ id: string }>(
      `SELECT r.id FROM "EngineRun" r JOIN "EngineEvent" e ON e.id = r."eventId"
       WHERE e."externalId" = $1 AND r.status = 'running'`,
      [eventId],
    );
    const cancelled: string[] = [];
    for (const run of runs) if (await this.cancelRun(run.id)) cancelled.push(run.id);
    return cancelled;
  }

  status(): EngineStatus {
    return {
      mode: "embedded",
      synced: this.#synced,
      functions: [...this.ctx.functions.keys()],
      syncError: this.#syncError,
      activeCalls: this.#inFlight.size,
      queuedCalls: this.#ready.length,
      workerId: this.lease.workerId,
    };
  }

  /** Stops taking work, waits for calls in flight (up to `graceMs`), releases this worker's lease. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    this.#cronTimers.stop();
    this.#unregisterInProcess?.();
    for (const timer of [this.#pollTimer, this.#sweepTimer, this.#wakeTimer, this.#cleanupTimer, this.#yieldPoll, this.#resyncTimer]) if (timer) clearInterval(timer);
    this.#rejectReady(new Error("engine stopped"));
    await Promise.race([Promise.allSettled([...this.#inFlight]), new Promise((resolve) => setTimeout(resolve, graceMs))]);
    // Jobs still queued here go back to the pool for the next engine.
    if (this.#ready.length) {
      await this.options.db
        .query(`UPDATE "EngineJob" SET "leaseOwner" = NULL WHERE "leaseOwner" = $1::bigint`, [this.lease.workerId])
        .catch(() => {});
    }
    await this.lease.release();
  }

  // ───────────── Scheduler ─────────────

  /**
   * Runs `work` in a batched transaction and applies its effects after the commit. The effects
   * are collected afresh on every attempt: the batcher re-runs a unit alone when its batch failed.
   */
  async #transact<T>(work: (q: SqlQuery, fx: Effects) => Promise<T>): Promise<T> {
    let fx = new Effects();
    const result = await this.#batcher.run((q) => {
      fx = new Effects();
      return work(q, fx);
    });
    this.#applyEffects(fx);
    return result;
  }

  #applyEffects(fx: Effects) {
    // Only runs whose first job runs here start from memory; others are read when their job comes.
    for (const run of fx.knownRuns) if (fx.leased.some((job) => job.runId === run.id)) this.#runs.set(run.id, run);
    for (const runId of fx.endedRuns) this.#runs.delete(runId);
    if (fx.leased.length) this.#ready.push(...fx.leased);
    if (fx.claimSoon) this.#claimWanted = true;
    if (fx.wakeAt !== null) this.#wakeAtTime(fx.wakeAt);
    if (fx.leased.length || fx.claimSoon) this.#schedulePump();
  }

  #wake() {
    this.#claimWanted = true;
    this.#schedulePump();
  }

  #wakeAtTime(at: number) {
    if (at >= this.#wakeTimerAt) return;
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#wakeTimerAt = at;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = null;
      this.#wakeTimerAt = Infinity;
      this.#wake();
    }, Math.min(MAX_WAKE_DELAY_MS, Math.max(0, at - Date.now()) + 1));
    this.#wakeTimer.unref();
  }

  #schedulePump() {
    if (this.#pumpScheduled || this.#stopping || !this.#synced) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      void this.#pump();
    });
  }

  /** Calls allowed in flight right now: fewer while the app yields to more urgent work. */
  #concurrencyNow(): number {
    if (!this.options.yieldWhile?.()) return this.#maxConcurrency;
    if (!this.#yieldPoll) {
      // Nothing else may call the pump when the urgent work ends: look again shortly.
      this.#yieldPoll = setTimeout(() => {
        this.#yieldPoll = null;
        this.#schedulePump();
      }, 50);
      this.#yieldPoll.unref();
    }
    // One call at a time is not yet a small share: back-to-back calls keep the thread busy. Pace them.
    if (performance.now() - this.#lastStartAt < (this.options.busyIntervalMs ?? 100)) return 0;
    return Math.min(this.#maxConcurrency, this.options.busyConcurrency ?? 1);
  }

  async #pump() {
    if (this.#stopping) return;
    while (this.#inFlight.size < this.#concurrencyNow() && this.#ready.length) this.#start(this.#ready.shift()!);
    const room = this.#concurrencyNow() - this.#inFlight.size - this.#ready.length;
    if (!this.#claimWanted || this.#claiming || room <= 0) return;
    this.#claimWanted = false;
    this.#claiming = true;
    try {
      const claimed = await this.#claim(room);
      this.#ready.push(...claimed);
      if (claimed.length >= room) this.#claimWanted = true; // more may be due
      await this.#scheduleNextDue();
    } catch (error) {
      if (!this.#stopping) this.#log(`claim failed: ${(error as Error).message}`);
    } finally {
      this.#claiming = false;
    }
    while (this.#inFlight.size < this.#concurrencyNow() && this.#ready.length) this.#start(this.#ready.shift()!);
  }

  async #claim(limit: number): Promise<Job[]> {
    const { db } = this.options;
    const now = sqlTime(Date.now());
    const rows = await db.query(
      `UPDATE "EngineJob" SET "leaseOwner" = $1::bigint WHERE id IN (
         SELECT id FROM "EngineJob" WHERE "leaseOwner" IS NULL AND "runAt" <= $2::timestamp AND "concurrencyKey" IS NULL
         ORDER BY "runAt" LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING ${JOB_COLUMNS}`,
      [this.lease.workerId, now, limit],
    );
    const jobs = rows.map(toJob);
    const keys = await db.query<{ key: string }>(CLAIMABLE_CONCURRENCY_KEYS, [now]);
    for (const { key } of keys) {
      if (jobs.length >= limit) break;
      await db.transaction(async (q) => {
        jobs.push(...((await leaseLimitedJobs(q, this.lease.workerId, key, limit - jobs.length, now)) ?? []));
      });
    }
    return jobs;
  }

  async #scheduleNextDue() {
    const [row] = await this.options.db.query<{ at: string | number | null }>(
      `SELECT EXTRACT(EPOCH FROM min("runAt")) * 1000 AS at FROM "EngineJob" WHERE "leaseOwner" IS NULL`,
    );
    // A job already due waits for a free slot (handed on when a job of its key ends) or for worker
    // room (the pump claims again): waking for it now would only repeat this claim in a loop.
    if (row?.at !== null && row?.at !== undefined && Number(row.at) > Date.now()) this.#wakeAtTime(Number(row.at));
  }

  #start(job: Job) {
    this.#lastStartAt = performance.now();
    const task = this.#execute(job)
      .catch((error) => {
        this.#log(`job ${job.id} of run ${job.runId} failed: ${(error as Error).message}`);
        return false;
      })
      .then((handedOff) => {
        this.#inFlight.delete(task);
        // A concurrency slot that was not handed on is free: limited jobs may now be claimable.
        if (job.concurrencyKey && !handedOff) this.#claimWanted = true;
        this.#schedulePump();
      });
    this.#inFlight.add(task);
  }

  /** Runs a job (and the run's next steps, while they come back to this worker); true when its concurrency slot was handed on. */
  async #execute(first: Job): Promise<boolean> {
    let handedOff = false;
    let job: Job | null = first;
    while (job && !this.#stopping) {
      const current: Job = job;
      if (current.kind === "timer") {
        await this.#transact((q, fx) => fireTimer(q, this.ctx, current, fx));
        return false;
      }
      const run = await this.#loadRun(current.runId);
      if (!run) {
        await this.#batcher.run((q) => deleteJob(q, current.id));
        return false;
      }
      const fn = this.ctx.functions.get(run.functionId);
      let result: CallResult;
      if (!fn) {
        result = {
          kind: "error",
          error: { name: "Error", message: `Function "${run.functionId}" is no longer served by the app` },
          noRetry: true,
          retryAfter: null,
        };
      } else {
        try {
          result = await callServe(
            {
              url: fn.url,
              stepId: current.stepId,
              runId: run.id,
              attempt: current.attempt,
              maxAttempts: fn.maxAttempts,
              disableImmediateExecution: run.parallel,
              event: run.event,
              steps: run.steps,
              checkpoint:
                this.options.checkpointing !== false && !run.parallel && current.stepId === "step"
                  ? { functionId: run.functionId, jobId: current.id }
                  : undefined,
            },
            this.#keys.signingKey,
            undefined,
            this.#isOwnServeUrl(fn.url) ? this.options.serveInProcess : undefined,
          );
        } catch (error) {
          result = {
            kind: "error",
            error: { name: "Error", message: `Could not call ${fn.url}: ${(error as Error).message}` },
            noRetry: false,
            retryAfter: null,
          };
        }
      }
      const outcome = await this.#transact(async (q, fx) => {
        const applied = await applyCallResult(q, this.ctx, current, run, fn ?? failingDefinition(run.functionId), result, fx);
        if (!applied.next && current.concurrencyKey) await handOffSlot(q, this.ctx, current.concurrencyKey, fx);
        return applied;
      });
      if (!outcome.next) handedOff = true;
      job = outcome.next;
      const checkpointed = this.#checkpointed.delete(current.id);
      if (job && !run.parallel && !outcome.parallel && !checkpointed) {
        run.steps.push(...outcome.stepsAdded);
        this.#runs.set(run.id, run);
      } else {
        this.#runs.delete(run.id);
      }
    }
    return handedOff;
  }

  #isOwnServeUrl(url: string): boolean {
    const target = new URL(url);
    return `${target.origin}${target.pathname}` === this.#serveUrl;
  }

  /** The run's event and memoized steps; sequential runs continue from this worker's copy. */
  async #loadRun(runId: string): Promise<CachedRun | null> {
    const cached = this.#runs.get(runId);
    if (cached && !cached.parallel) return cached;
    const [run] = await this.options.db.query<{ id: string; functionId: string; event: Record<string, unknown>; parallel: boolean; status: string; steps: [string, unknown, unknown][] }>(
      `SELECT id, "functionId", event, parallel, status, ${RUN_STEPS_JSON} AS steps FROM "EngineRun" r WHERE id = $1`,
      [runId],
      { preparedAs: "engine_run_load" },
    );
    return run && run.status === "running" ? toCachedRun(run) : null;
  }
}

function failingDefinition(id: string): FunctionDefinition {
  return { id, name: id, url: "", triggers: [], crons: [], failureHandlerOf: null, maxAttempts: 1, concurrency: null, idempotency: null, cancelOn: [] };
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function parseEvents(body: string): IncomingEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequest("Request body is not valid JSON");
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (!list.length) throw new BadRequest("No events in request");
  return list.map((raw, index) => {
    const where = `event ${index}`;
    if (!raw || typeof raw !== "object") throw new BadRequest(`${where}: must be an object`);
    const event = raw as Record<string, unknown>;
    if (typeof event.name !== "string" || !event.name.trim()) throw new BadRequest(`${where}: "name" must be a non-empty string`);
    if (event.name.startsWith("inngest/")) throw new BadRequest(`${where}: event names starting with "inngest/" are reserved`);
    if (event.data !== undefined && event.data !== null && (typeof event.data !== "object" || Array.isArray(event.data))) {
      throw new BadRequest(`${where}: "data" must be an object`);
    }
    if (event.id !== undefined && event.id !== null && typeof event.id !== "string") throw new BadRequest(`${where}: "id" must be a string`);
    if (event.ts !== undefined && event.ts !== null && typeof event.ts !== "number") throw new BadRequest(`${where}: "ts" must be a number`);
    return {
      name: event.name,
      data: (event.data as Record<string, unknown> | undefined) ?? {},
      id: (event.id as string | undefined) || undefined,
      ts: (event.ts as number | undefined) ?? undefined,
      v: typeof event.v === "string" ? event.v : undefined,
      user: event.user && typeof event.user === "object" ? (event.user as Record<string, unknown>) : undefined,
    };
  });
}

async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const read = await readBody(req, limit);
  if (read.kind === "ok") return read.body.toString("utf8");
  if (read.kind === "too_large") {
    req.destroy();
    throw new BadRequest(`Event request larger than ${limit} bytes`, 413);
  }
  throw new Error("The request was aborted before its body arrived");
}

function reply(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** What the SDK sends as its API bearer token: the key's prefix + SHA-256 of the hex key bytes. */
function hashedSigningKey(signingKey: string): string {
  const prefix = /^signkey-\w+-/.exec(signingKey)?.[0] ?? "";
  const key = signingKey.slice(prefix.length);
  return prefix + createHash("sha256").update(Buffer.from(key, "hex")).digest("hex");
}

/** Opens the engine: takes a worker lease, then syncs and starts working in the background. */
export async function startEmbeddedEngine(options: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  const lease = await acquireWorkerLease(options.db);
  const engine = new EmbeddedEngine(options, lease);
  void engine.begin();
  return engine;
}
