// Turns one answer of the serve endpoint into state: memoized steps, planned step jobs,
// timers, waits, invoked runs, retries, and the run's end.
import type { SqlQuery } from "@/lib/db/client";
import type { CallResult, OutgoingOp, StepState } from "./call-serve";
import { compileExpression } from "./compile-expression";
import { retryAfterMs, retryDelayMs, sleepDelayMs, parseDuration } from "./durations";
import type { CachedRun, Effects, EngineContext, Job } from "./engine-context";
import { sqlTime } from "./engine-context";
import { finishRun } from "./record-events";
import { createRuns, deleteJob, enqueueDiscovery, insertJob, insertStep } from "./run-store";
import type { FunctionDefinition } from "./sync-functions";

export interface CallOutcome {
  /** The job to call with next, right away (same worker), or null when this job is done. */
  next: Job | null;
  /** Steps memoized by this answer, for the worker's cached copy of the run. */
  stepsAdded: [string, StepState][];
  parallel: boolean;
}

const done = (parallel = false): CallOutcome => ({ next: null, stepsAdded: [], parallel });

export async function applyCallResult(
  q: SqlQuery,
  ctx: EngineContext,
  job: Job,
  run: CachedRun,
  fn: FunctionDefinition,
  result: CallResult,
  fx: Effects,
): Promise<CallOutcome> {
  if (result.kind === "complete") {
    await finishRun(q, ctx, run.id, { status: "completed", output: result.output }, fx);
    return done();
  }
  if (result.kind === "error") return retryOrFail(q, ctx, job, run, fn, result.error, result.noRetry, result.retryAfter, fx);

  const ops = result.ops;
  const completion = ops.find((op) => op.op === "RunComplete");
  if (completion) {
    await finishRun(q, ctx, run.id, { status: "completed", output: completion.data ?? null }, fx);
    return done();
  }
  const retriable = ops.find((op) => op.op === "StepError");
  if (retriable) return retryOrFail(q, ctx, job, run, fn, retriable.error, false, result.retryAfter, fx);

  // Several memoized steps in one answer are a checkpointing fallback, not parallelism.
  const memoizedOnly = ops.every((op) => op.op === "StepRun" || op.op === "Step" || op.op === "StepFailed");
  const parallel = run.parallel || (ops.length > 1 && !memoizedOnly) || ops.some((op) => op.op === "StepPlanned");
  // A lone memoized step needs no separate lock: insertStep locks the run and checks it runs.
  const loneStep = ops.length === 1 && (ops[0].op === "StepRun" || ops[0].op === "StepFailed") && parallel === run.parallel;
  if (!loneStep) {
    const locked = await q(`UPDATE "EngineRun" SET parallel = parallel OR $2 WHERE id = $1 AND status = 'running' RETURNING id`, [
      run.id,
      parallel,
    ]);
    if (!locked.length) {
      await deleteJob(q, job.id); // cancelled or ended meanwhile
      return done();
    }
  }
  const stepsAdded: [string, StepState][] = [];
  for (const op of ops) {
    const name = op.displayName ?? op.name ?? null;
    switch (op.op) {
      case "StepRun":
      case "Step":
        if (await insertStep(q, run.id, op.id, { data: op.data ?? null }, name)) stepsAdded.push([op.id, { data: op.data ?? null }]);
        break;
      case "StepFailed":
        if (await insertStep(q, run.id, op.id, { error: op.error }, name)) stepsAdded.push([op.id, { error: op.error }]);
        break;
      case "StepPlanned":
        await insertJob(q, ctx, fx, { runId: run.id, kind: "call", stepId: op.id, runAt: Date.now(), concurrencyKey: job.concurrencyKey });
        break;
      case "Sleep": {
        const delay = sleepDelayMs(op.name ?? "0s") * ctx.timeScale;
        await insertJob(q, ctx, fx, { runId: run.id, kind: "timer", stepId: op.id, runAt: Date.now() + delay, concurrencyKey: null, payload: { type: "sleep" } });
        break;
      }
      case "WaitForEvent": {
        const problem = await planWait(q, ctx, run, op, fx);
        if (problem) {
          await finishRun(q, ctx, run.id, { status: "failed", error: { name: "Error", message: problem } }, fx);
          return done();
        }
        break;
      }
      case "InvokeFunction":
        await planInvoke(q, ctx, run, op, fx);
        break;
      default:
        await finishRun(q, ctx, run.id, {
          status: "failed",
          error: { name: "Error", message: `The embedded engine does not support the "${op.op}" step operation (step "${name ?? op.id}")` },
        }, fx);
        return done();
    }
  }

  if (stepsAdded.length) {
    if (job.stepId === "step") {
      if (job.attempt !== 0) await q(`UPDATE "EngineJob" SET attempt = 0 WHERE id = $1::bigint`, [job.id]);
      return { next: { ...job, attempt: 0 }, stepsAdded, parallel };
    }
    await deleteJob(q, job.id);
    const discovery = await enqueueDiscovery(q, ctx, run.id, fx);
    if (discovery) fx.leased.splice(fx.leased.indexOf(discovery), 1); // continued inline instead
    return { next: discovery, stepsAdded, parallel };
  }
  if (job.stepId === "step") {
    const deleted = await q(`DELETE FROM "EngineJob" WHERE id = $1::bigint AND NOT rediscover RETURNING id`, [job.id]);
    if (!deleted.length) {
      // A step completed while this call was in flight: look again with the newer state.
      await q(`UPDATE "EngineJob" SET rediscover = false, attempt = 0 WHERE id = $1::bigint`, [job.id]);
      return { next: { ...job, attempt: 0 }, stepsAdded, parallel: true };
    }
  } else {
    await deleteJob(q, job.id);
  }
  return done(parallel);
}

async function retryOrFail(
  q: SqlQuery,
  ctx: EngineContext,
  job: Job,
  run: CachedRun,
  fn: FunctionDefinition,
  error: unknown,
  noRetry: boolean,
  retryAfter: string | null,
  fx: Effects,
): Promise<CallOutcome> {
  const nextAttempt = job.attempt + 1;
  if (noRetry || nextAttempt >= fn.maxAttempts) {
    await finishRun(q, ctx, run.id, { status: "failed", error }, fx);
    return done();
  }
  const requested = retryAfter ? retryAfterMs(retryAfter) : null;
  const delay = (requested ?? retryDelayMs(nextAttempt)) * ctx.timeScale;
  const at = Date.now() + delay;
  const updated = await q(
    `UPDATE "EngineJob" SET attempt = $2, "runAt" = $3::timestamp, "leaseOwner" = NULL, rediscover = false
     WHERE id = $1::bigint AND EXISTS (SELECT 1 FROM "EngineRun" WHERE id = $4 AND status = 'running') RETURNING id`,
    [job.id, nextAttempt, sqlTime(at), run.id],
  );
  if (updated.length) fx.wakeFor(at);
  return done();
}

async function planWait(q: SqlQuery, ctx: EngineContext, run: CachedRun, op: OutgoingOp, fx: Effects): Promise<string | null> {
  const expression = typeof op.opts?.if === "string" ? op.opts.if : null;
  if (expression) {
    try {
      compileExpression(expression);
    } catch (error) {
      return `step.waitForEvent("${op.displayName ?? op.id}"): ${(error as Error).message}`;
    }
  }
  // The SDK always sends a timeout; a year stands in if a hand-made request omits it.
  const timeoutMs = parseDuration(String(op.opts?.timeout ?? "52w")) * ctx.timeScale;
  const at = Date.now() + timeoutMs;
  const planned = await insertJob(q, ctx, fx, { runId: run.id, kind: "timer", stepId: op.id, runAt: at, concurrencyKey: null, payload: { type: "wait" } });
  if (planned) {
    await q(
      `INSERT INTO "EngineWait" ("runId", kind, "stepId", "eventName", expression, "expiresAt") VALUES ($1, 'wait', $2, $3, $4, $5::timestamp)`,
      [run.id, op.id, op.name, expression, sqlTime(at)],
    );
  }
  return null;
}

async function planInvoke(q: SqlQuery, ctx: EngineContext, run: CachedRun, op: OutgoingOp, fx: Effects) {
  const opts = (op.opts ?? {}) as { function_id?: string; payload?: { data?: Record<string, unknown> }; timeout?: string };
  const target = opts.function_id ? ctx.functions.get(opts.function_id) : undefined;
  if (!target) {
    if (await insertStep(q, run.id, op.id, { error: { name: "Error", message: `Cannot invoke unknown function "${opts.function_id}"` } }, null)) {
      await enqueueDiscovery(q, ctx, run.id, fx);
    }
    return;
  }
  const exists = await q(`SELECT 1 FROM "EngineRun" WHERE "parentRunId" = $1 AND "parentStepId" = $2`, [run.id, op.id]);
  if (exists.length) return;
  const event = {
    name: "inngest/function.invoked",
    data: { ...(opts.payload?.data ?? {}), _inngest: { source_run_id: run.id, source_fn_id: run.functionId } },
    id: `invoke-${run.id}-${op.id}`,
    ts: Date.now(),
  };
  await createRuns(q, ctx, [{ fn: target, event, parent: { runId: run.id, stepId: op.id } }], fx);
  if (opts.timeout) {
    const at = Date.now() + parseDuration(opts.timeout) * ctx.timeScale;
    await insertJob(q, ctx, fx, { runId: run.id, kind: "timer", stepId: op.id, runAt: at, concurrencyKey: null, payload: { type: "invoke" } });
  }
}
