// State transitions of runs, steps and jobs. Every function runs inside a caller's transaction
// and first locks the run row (UPDATE ... WHERE status = 'running'), so concurrent completions,
// cancellations and event matches of one run are serialized and an ended run takes no more work.
import type { SqlQuery } from "@/lib/db/client";
import type { StepState } from "./call-serve";
import { Effects, JOB_COLUMNS, concurrencyLimitOf, sqlTime, toJob, type CachedRun, type EngineContext, type IncomingEvent, type Job } from "./engine-context";
import { createEngineId } from "@/lib/db/ids";
import type { FunctionDefinition } from "./sync-functions";

/**
 * Memoizes one step result; false when the run is no longer running or the step was already
 * stored. With `heldBy`, also false unless that job is still leased to that worker.
 */
export async function insertStep(
  q: SqlQuery,
  runId: string,
  stepId: string,
  state: StepState,
  name: string | null,
  heldBy?: { jobId: string; workerId: string },
) {
  const rows = await q(
    `WITH r AS (SELECT id FROM "EngineRun" WHERE id = $1 AND status = 'running'
       AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM "EngineJob" WHERE id = $6::bigint AND "runId" = $1 AND "leaseOwner" = $7::bigint))
       FOR UPDATE)
     INSERT INTO "EngineStep" ("runId", "stepId", name, data, error)
     SELECT $1, $2, $3, $4::jsonb, $5::jsonb FROM r
     ON CONFLICT ("runId", "stepId") DO NOTHING RETURNING seq`,
    [
      runId,
      stepId,
      name,
      "error" in state ? null : JSON.stringify(state.data ?? null),
      "error" in state ? JSON.stringify(state.error ?? { name: "Error", message: "Unknown error" }) : null,
      heldBy?.jobId ?? null,
      heldBy?.workerId ?? null,
    ],
  );
  return rows.length > 0;
}

/**
 * Asks for a discovery call of a running run. If one is already in flight it is told to call
 * again when done; a new one is leased to this worker (unless the run is concurrency-limited).
 */
export async function enqueueDiscovery(q: SqlQuery, ctx: EngineContext, runId: string, fx: Effects): Promise<Job | null> {
  const rows = await q(
    `INSERT INTO "EngineJob" ("runId", kind, "stepId", attempt, "runAt", "leaseOwner", "concurrencyKey")
     SELECT r.id, 'call', 'step', 0, $2::timestamp, CASE WHEN r."concurrencyKey" IS NULL THEN $3::bigint END, r."concurrencyKey"
     FROM "EngineRun" r WHERE r.id = $1 AND r.status = 'running'
     ON CONFLICT ("runId", kind, "stepId") DO UPDATE
       SET rediscover = "EngineJob".rediscover OR "EngineJob"."leaseOwner" IS NOT NULL
     RETURNING ${JOB_COLUMNS}, (xmax = 0) AS inserted, "leaseOwner"::text AS "leaseOwner"`,
    [runId, sqlTime(Date.now()), ctx.workerId],
  );
  const row = rows[0];
  if (!row || !row.inserted) return null;
  if (row.leaseOwner === ctx.workerId) {
    const job = toJob(row);
    fx.leased.push(job);
    return job;
  }
  fx.claimSoon = true;
  return null;
}

/** Inserts a job unless the same (run, kind, step) exists or that step is already memoized. */
export async function insertJob(
  q: SqlQuery,
  ctx: EngineContext,
  fx: Effects,
  job: { runId: string; kind: Job["kind"]; stepId: string; runAt: number; concurrencyKey: string | null; payload?: Job["payload"] },
): Promise<boolean> {
  const due = job.runAt <= Date.now();
  const leaseToSelf = due && !job.concurrencyKey;
  const rows = await q(
    `INSERT INTO "EngineJob" ("runId", kind, "stepId", attempt, "runAt", "leaseOwner", "concurrencyKey", payload)
     SELECT $1, $2, $3, 0, $4::timestamp, $5::bigint, $6, $7::jsonb
     WHERE NOT EXISTS (SELECT 1 FROM "EngineStep" WHERE "runId" = $1 AND "stepId" = $3)
     ON CONFLICT ("runId", kind, "stepId") DO NOTHING RETURNING ${JOB_COLUMNS}`,
    [
      job.runId,
      job.kind,
      job.stepId,
      sqlTime(job.runAt),
      leaseToSelf ? ctx.workerId : null,
      job.concurrencyKey,
      job.payload ? JSON.stringify(job.payload) : null,
    ],
  );
  if (!rows.length) return false;
  if (leaseToSelf) fx.leased.push(toJob(rows[0]));
  else if (due) fx.claimSoon = true;
  else fx.wakeFor(job.runAt);
  return true;
}

/** A run's memoized steps in storage order, as one JSON array of [stepId, data, error] (for a run row aliased r). */
export const RUN_STEPS_JSON = `COALESCE((SELECT json_agg(json_build_array(s."stepId", s.data, s.error) ORDER BY s.seq) FROM "EngineStep" s WHERE s."runId" = r.id), '[]')`;

/** $1 the worker id, $2 the concurrency key, $3 now (see handOffSlot). */
export const HAND_OFF_SLOT = `WITH job AS (
       UPDATE "EngineJob" SET "leaseOwner" = $1::bigint WHERE id = (
         SELECT id FROM "EngineJob" WHERE "leaseOwner" IS NULL AND "concurrencyKey" = $2 AND "runAt" <= $3::timestamp
         ORDER BY "runAt", id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING ${JOB_COLUMNS})
     SELECT job.*, r."functionId", r.event, r.parallel, r.status, ${RUN_STEPS_JSON} AS steps
     FROM job JOIN "EngineRun" r ON r.id = job."runId"`;

/**
 * A job of a concurrency key stopped holding its slot in this transaction (its run ended, slept,
 * or waits for a retry): lease the key's oldest due job to this worker in the same transaction.
 * The slot passes from one job to the next, so the key's running count never changes and no
 * claim (lock, count, lease: a transaction of its own) is needed per run. Under a steady stream
 * this is how limited jobs start; claims fill the slots after a lull.
 */
export async function handOffSlot(q: SqlQuery, ctx: EngineContext, concurrencyKey: string, fx: Effects): Promise<void> {
  // The job's run comes with it (event and memoized steps), as #loadRun in engine.ts reads it.
  const rows = await q<Record<string, unknown> & { event: Record<string, unknown>; functionId: string; parallel: boolean; status: string; steps: [string, unknown, unknown][] }>(
    HAND_OFF_SLOT,
    [ctx.workerId, concurrencyKey, sqlTime(Date.now())],
    { preparedAs: "engine_job_hand_off" },
  );
  if (!rows.length) return;
  const [row] = rows;
  const job = toJob(row);
  fx.leased.push(job);
  if (row.status === "running") fx.knownRuns.push(toCachedRun({ ...row, id: job.runId }));
}


export function toCachedRun(row: { id: string; functionId: string; event: Record<string, unknown>; parallel: boolean; steps: [string, unknown, unknown][] }): CachedRun {
  return {
    id: row.id,
    functionId: row.functionId,
    event: row.event,
    parallel: row.parallel,
    steps: row.steps.map(([stepId, data, error]) => [stepId, error !== null && error !== undefined ? { error } : { data: data ?? null }]),
  };
}

/** Jobs of one concurrency key running now, over the partial index on leased jobs (migration 20261127080000_engine_leased_jobs_index). */
export const COUNT_RUNNING_JOBS = `SELECT count(*)::int AS running FROM "EngineJob" WHERE "concurrencyKey" = $1 AND "leaseOwner" IS NOT NULL`;

/**
 * Leases up to `room` due jobs of one concurrency key (oldest first) to `workerId` without
 * exceeding the key's limit across all engines: under a transaction-scoped advisory lock per key,
 * counts the key's leased jobs, then leases what is free. Runs inside the caller's transaction.
 */
export async function leaseLimitedJobs(q: SqlQuery, workerId: string, key: string, room: number, now: string, options: { wait?: boolean } = {}): Promise<Job[] | null> {
  if (options.wait === false) {
    // Inside a shared transaction: waiting here for another engine's lock would stall every unit
    // batched with this one. Null: someone else holds the key now; a claim takes its jobs later.
    const [{ locked }] = await q<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [key], { preparedAs: "engine_key_try_lock" });
    if (!locked) return null;
  } else {
    await q(`SELECT pg_advisory_xact_lock(hashtext($1))`, [key], { preparedAs: "engine_key_lock" });
  }
  const [{ running }] = await q<{ running: number }>(COUNT_RUNNING_JOBS, [key], { preparedAs: "engine_key_running" });
  const free = Math.min(room, concurrencyLimitOf(key) - running);
  if (free <= 0) return [];
  const rows = await q(
    `UPDATE "EngineJob" SET "leaseOwner" = $1::bigint WHERE id IN (
       SELECT id FROM "EngineJob" WHERE "leaseOwner" IS NULL AND "runAt" <= $2::timestamp AND "concurrencyKey" = $3
       ORDER BY "runAt", id LIMIT $4 FOR UPDATE SKIP LOCKED)
     RETURNING ${JOB_COLUMNS}`,
    [workerId, now, key, free],
    { preparedAs: "engine_key_lease" },
  );
  return rows.map(toJob);
}

export async function deleteJob(q: SqlQuery, jobId: string) {
  await q(`DELETE FROM "EngineJob" WHERE id = $1::bigint`, [jobId]);
}

export interface RunRequest {
  fn: FunctionDefinition;
  event: Record<string, unknown>;
  /** The stored EngineEvent's id when the event's own id is the sender's (record-events.ts). */
  storedEventId?: string;
  /** Links a run started by step.invoke to the waiting step. */
  parent?: { runId: string; stepId: string };
}

/**
 * Starts one run per request (unless its function's idempotency key was used in the last 24 h).
 * Runs, first jobs and cancelOn
 * waits are inserted with one statement each however many runs start: a relay batch of events
 * costs a few statements, not a few per event.
 */
export async function createRuns(q: SqlQuery, ctx: EngineContext, requests: RunRequest[], fx: Effects): Promise<void> {
  const now = Date.now();
  const runs: Record<string, unknown>[] = [];
  const waits: Record<string, unknown>[] = [];
  for (const { fn, event, parent, storedEventId } of requests) {
    const runId = createEngineId();
    if (fn.idempotency) {
      const key = `${fn.id}:${JSON.stringify(fn.idempotency({ event }) ?? null)}`;
      const claimed = await q(
        `INSERT INTO "EngineIdempotencyKey" (key, "runId", "expiresAt") VALUES ($1, $2, $3::timestamp)
         ON CONFLICT (key) DO UPDATE SET "runId" = EXCLUDED."runId", "expiresAt" = EXCLUDED."expiresAt"
         WHERE "EngineIdempotencyKey"."expiresAt" < $4::timestamp RETURNING key`,
        [key, runId, sqlTime(now + 86_400_000), sqlTime(now)],
      );
      if (!claimed.length) continue;
    }
    const concurrencyKey = fn.concurrency
      ? `${fn.concurrency.limit}|${fn.concurrency.scope === "fn" ? fn.id : fn.concurrency.scope}|${
          fn.concurrency.key ? JSON.stringify(fn.concurrency.key({ event }) ?? null) : ""
        }`
      : null;
    // The first job goes to this worker unless a concurrency limit decides who may run it.
    runs.push({ id: runId, functionId: fn.id, eventId: storedEventId ?? String(event.id), event, concurrencyKey, parentRunId: parent?.runId ?? null, parentStepId: parent?.stepId ?? null, leaseOwner: concurrencyKey ? null : ctx.workerId });
    for (const rule of fn.cancelOn) {
      waits.push({ runId, eventName: rule.event, expression: rule.expression, expiresAt: rule.timeoutMs === null ? null : sqlTime(now + rule.timeoutMs * ctx.timeScale) });
    }
    fx.knownRuns.push({ id: runId, functionId: fn.id, event, parallel: false, steps: [] });
  }
  if (runs.length === 0) return;
  const jobs = await q(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, "functionId" text, "eventId" text, event jsonb, "concurrencyKey" text,
         "parentRunId" text, "parentStepId" text, "leaseOwner" text)),
     run AS (
       INSERT INTO "EngineRun" (id, "functionId", "eventId", event, status, "concurrencyKey", "parentRunId", "parentStepId")
       SELECT id, "functionId", "eventId", event, 'running', "concurrencyKey", "parentRunId", "parentStepId" FROM input)
     INSERT INTO "EngineJob" ("runId", kind, "stepId", attempt, "runAt", "leaseOwner", "concurrencyKey")
     SELECT id, 'call', 'step', 0, $2::timestamp, "leaseOwner"::bigint, "concurrencyKey" FROM input RETURNING ${JOB_COLUMNS}`,
    [JSON.stringify(runs), sqlTime(now)],
  );
  const limitedKeys = new Set<string>();
  for (const job of jobs.map(toJob)) {
    if (job.concurrencyKey) limitedKeys.add(job.concurrencyKey);
    else fx.leased.push(job);
  }
  // Free slots of a limit are taken here, in the transaction that queued the runs, instead of by
  // a claim afterwards (a transaction of its own, then a read of each run): the key's oldest due
  // jobs, these or older ones. Only if no other engine holds the key's lock right now.
  for (const key of [...limitedKeys].sort()) {
    const leased = await leaseLimitedJobs(q, ctx.workerId, key, Infinity, sqlTime(now), { wait: false });
    if (leased) fx.leased.push(...leased);
    else fx.claimSoon = true;
  }
  if (waits.length) {
    await q(
      `INSERT INTO "EngineWait" ("runId", kind, "eventName", expression, "expiresAt")
       SELECT "runId", 'cancel', "eventName", expression, "expiresAt"::timestamp
         FROM jsonb_to_recordset($1::jsonb) AS x("runId" text, "eventName" text, expression text, "expiresAt" text)`,
      [JSON.stringify(waits)],
    );
  }
}

export type RunEnd = { status: "completed"; output: unknown } | { status: "failed"; error: unknown } | { status: "cancelled" };

/**
 * Ends a running run, drops its pending work and tells a parent (step.invoke). Returns the events
 * its end emits (function.finished, …) for the caller to record (finishRun in record-events.ts),
 * or null when the run was no longer running.
 */
export async function endRun(q: SqlQuery, ctx: EngineContext, runId: string, end: RunEnd, fx: Effects): Promise<IncomingEvent[] | null> {
  // One statement: end the run, drop its jobs and waits, and tell whether a run waits for function.finished.
  const rows = await q<{ functionId: string; event: Record<string, unknown>; parentRunId: string | null; parentStepId: string | null; finishedAwaited: boolean }>(
    `WITH ended AS (
       UPDATE "EngineRun" SET status = $2, output = $3::jsonb, error = $4::jsonb, "endedAt" = $5::timestamp
       WHERE id = $1 AND status = 'running' RETURNING id, "functionId", event, "parentRunId", "parentStepId"),
     jobs AS (DELETE FROM "EngineJob" WHERE "runId" IN (SELECT id FROM ended)),
     waits AS (DELETE FROM "EngineWait" WHERE "runId" IN (SELECT id FROM ended))
     SELECT "functionId", event, "parentRunId", "parentStepId",
       EXISTS (SELECT 1 FROM "EngineWait" WHERE "eventName" = $6 AND "runId" <> $1) AS "finishedAwaited"
     FROM ended`,
    [
      runId,
      end.status,
      end.status === "completed" ? JSON.stringify(end.output ?? null) : null,
      end.status === "failed" ? JSON.stringify(end.error ?? null) : null,
      sqlTime(Date.now()),
      FUNCTION_FINISHED,
    ],
    { preparedAs: "engine_run_finish" },
  );
  const run = rows[0];
  if (!run) return null;
  fx.endedRuns.push(runId);
  if (run.parentRunId && run.parentStepId) {
    const state: StepState =
      end.status === "completed"
        ? { data: end.output ?? null }
        : { error: end.status === "failed" ? end.error : { name: "Error", message: "The invoked function run was cancelled" } };
    if (await insertStep(q, run.parentRunId, run.parentStepId, state, null)) {
      await q(`DELETE FROM "EngineJob" WHERE "runId" = $1 AND kind = 'timer' AND "stepId" = $2`, [run.parentRunId, run.parentStepId]);
      await enqueueDiscovery(q, ctx, run.parentRunId, fx);
    }
  }
  const system: IncomingEvent[] = [];
  const base = { function_id: run.functionId, run_id: runId, event: run.event };
  const cancelled = { name: "Error", message: "function cancelled", error: "function cancelled" };
  // An onFailure handler failing emits nothing more (Inngest does the same): no handler-of-a-handler loop.
  if (end.status === "failed" && !ctx.functions.get(run.functionId)?.failureHandlerOf) {
    system.push({ name: "inngest/function.failed", data: { ...base, error: end.error } });
  } else if (end.status === "cancelled") {
    system.push({ name: "inngest/function.cancelled", data: { ...base, error: cancelled } });
  }
  // function.finished for every end, unless the run itself was started by one (it would start itself again).
  if (run.event.name !== FUNCTION_FINISHED && (run.finishedAwaited || someFunctionTriggersOn(ctx, FUNCTION_FINISHED))) {
    const outcome = end.status === "completed" ? { result: end.output ?? null } : { error: end.status === "failed" ? end.error : cancelled };
    system.push({ name: FUNCTION_FINISHED, data: { ...base, events: [run.event], ...outcome } });
  }
  return system;
}

export const FUNCTION_FINISHED = "inngest/function.finished";

/**
 * Whether a function triggers on `name` (whether a run waits for it, finishRun's statement tells).
 * System events nobody listens to are not stored: one per finished run would be a write per run for nothing.
 */
function someFunctionTriggersOn(ctx: EngineContext, name: string): boolean {
  for (const fn of ctx.functions.values()) if (fn.triggers.some((t) => t.matches(name))) return true;
  return false;
}

/** A sleep ended or a wait / invoke timed out. */
export async function fireTimer(q: SqlQuery, ctx: EngineContext, job: Job, fx: Effects) {
  await deleteJob(q, job.id);
  let state: StepState | null = null;
  if (job.payload?.type === "wait") {
    const waits = await q(`DELETE FROM "EngineWait" WHERE "runId" = $1 AND kind = 'wait' AND "stepId" = $2 RETURNING id`, [
      job.runId,
      job.stepId,
    ]);
    if (waits.length) state = { data: null };
  } else if (job.payload?.type === "invoke") {
    state = { error: { name: "InngestInvokeTimeoutError", message: "Timed out waiting for the invoked function to complete" } };
  } else {
    state = { data: null };
  }
  if (state && (await insertStep(q, job.runId, job.stepId, state, null))) await enqueueDiscovery(q, ctx, job.runId, fx);
}
