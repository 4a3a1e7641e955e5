// The same functions under @inngest/test (the SDK's own executor) and under the embedded engine
// (over HTTP, with state in PostgreSQL): the outcomes must agree.
import { InngestTestEngine, mockCtx } from "@inngest/test";
import { Inngest, type InngestFunction } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase } from "../helpers/databases";
import { conformanceFunctions, probes } from "./conformance-functions";
import { until } from "../helpers/until";
import { runsForEvent, startHarness, type Harness, type RunRow } from "./harness";

type Outcome = { status: "completed"; output: unknown } | { status: "failed"; message: string };

/** Runs one function to its end under @inngest/test, as on attempt `attempt`. */
async function underInngestTest(
  fn: InngestFunction.Any,
  event: { name: string; data: Record<string, unknown> },
  options: { attempt?: number; stepTools?: Record<string, (...args: unknown[]) => Promise<unknown>> } = {},
): Promise<Outcome> {
  const t = new InngestTestEngine({
    function: fn,
    events: [event],
    // Step tools the engine answers from outside the function (a sleep ending, a matched event)
    // are replaced the way @inngest/test documents for custom mocks.
    transformCtx: (ctx) => {
      const mocked = mockCtx(ctx);
      return { ...mocked, attempt: options.attempt ?? 0, step: { ...mocked.step, ...options.stepTools } } as typeof ctx;
    },
  });
  const { result, error } = await t.execute();
  if (error) return { status: "failed", message: (error as { message: string }).message };
  return { status: "completed", output: result };
}

function outcomeOf(run: RunRow): Outcome {
  return run.status === "completed" ? { status: "completed", output: run.output } : { status: "failed", message: run.error?.message ?? "" };
}

// The @inngest/test side; its logger is quiet because failing steps are expected here.
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const reference = conformanceFunctions(new Inngest({ id: "conformance", isDev: true, logger: quiet }));

describeEachDatabase("embedded engine conformance", (getDb) => {
  let h: Harness;
  let fns: ReturnType<typeof conformanceFunctions>;

  beforeAll(async () => {
    h = await startHarness({
      db: getDb(),
      functions: (client) => {
        fns = conformanceFunctions(client);
        return Object.values(fns);
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Sends one event and returns the run it started, once that run ended. */
  async function runToEnd(name: string, data: Record<string, unknown>, id?: string): Promise<RunRow> {
    const { ids } = await h.client.send({ name, data, ...(id ? { id } : {}) });
    const [runId] = await runsForEvent(getDb(), ids[0]);
    expect(runId, `a run for ${name}`).toBeDefined();
    return h.waitForRun(runId);
  }

  async function waitUntilWaiting(runId: string, kind: "wait" | "cancel" = "wait") {
    await until(async () => (await getDb().query(`SELECT 1 FROM "EngineWait" WHERE "runId" = $1 AND kind = $2`, [runId, kind])).length > 0, `run ${runId} to wait`);
  }

  /** The run of `functionId` whose event is about run `runId` (a system event), once it ended. */
  function systemRunAbout(functionId: string, runId: string): Promise<RunRow> {
    return until(async () => (await h.runsOf(functionId)).find((r) => r.event.data.run_id === runId && r.status !== "running"), `a finished ${functionId} run about run ${runId}`);
  }

  it("sequential steps", async () => {
    const event = { name: "conf/sequential", data: { n: 40 } };
    const engine = outcomeOf(await runToEnd(event.name, event.data));
    expect(engine).toEqual({ status: "completed", output: { a: 1, b: 2, c: 42 } });
    expect(engine).toEqual(await underInngestTest(reference.sequential, event));
  });

  it("parallel steps", async () => {
    const event = { name: "conf/parallel", data: {} };
    const engine = outcomeOf(await runToEnd(event.name, event.data));
    expect(engine).toEqual({ status: "completed", output: "L+R" });
    expect(engine).toEqual(await underInngestTest(reference.parallel, event));
  });

  it("sleep", async () => {
    const event = { name: "conf/sleep", data: {} };
    const run = await runToEnd(event.name, event.data);
    expect(outcomeOf(run)).toEqual({ status: "completed", output: ["before", "after"] });
    expect(outcomeOf(run)).toEqual(await underInngestTest(reference.sleep, event, { stepTools: { sleep: async () => undefined } }));
    const steps = await getDb().query<{ name: string }>(`SELECT name FROM "EngineStep" WHERE "runId" = $1 ORDER BY seq`, [run.id]);
    expect(steps.map((s) => s.name)).toEqual(["before", null, "after"]); // the sleep is memoized as a step
  });

  it("waitForEvent matched on event data", async () => {
    const event = { name: "conf/order", data: { orderId: "o-1" } };
    const { ids } = await h.client.send(event);
    const [runId] = await runsForEvent(getDb(), ids[0]);
    await waitUntilWaiting(runId);
    await h.client.send({ name: "conf/approved", data: { orderId: "o-other", by: "mallory" } });
    await h.client.send({ name: "conf/approved", data: { orderId: "o-1", by: "alice" } });
    const engine = outcomeOf(await h.waitForRun(runId));
    expect(engine).toEqual({ status: "completed", output: { approvedBy: "alice" } });
    const approval = { name: "conf/approved", data: { orderId: "o-1", by: "alice" } };
    expect(engine).toEqual(
      await underInngestTest(reference.waitForEvent, event, { stepTools: { waitForEvent: async () => approval } }),
    );
  });

  it("waitForEvent with a CEL `if` using functions, in and arithmetic", async () => {
    const event = { name: "conf/quote", data: { quoteId: "q-1", items: [1, 2, 3] } };
    const { ids } = await h.client.send(event);
    const [runId] = await runsForEvent(getDb(), ids[0]);
    await waitUntilWaiting(runId);
    await h.client.send({ name: "conf/accepted", data: { quoteId: "q-1", email: "eve@evil.io", seats: 5 } });
    await h.client.send({ name: "conf/accepted", data: { quoteId: "q-1", email: "Bob@ACME.io", seats: 7 } });
    await h.client.send({ name: "conf/accepted", data: { quoteId: "q-1", email: "Bob@ACME.io", seats: 10 } });
    const engine = outcomeOf(await h.waitForRun(runId));
    expect(engine).toEqual({ status: "completed", output: { by: "Bob@ACME.io" } });
    const accepted = { name: "conf/accepted", data: { quoteId: "q-1", email: "Bob@ACME.io", seats: 10 } };
    expect(engine).toEqual(await underInngestTest(reference.waitForEventIf, event, { stepTools: { waitForEvent: async () => accepted } }));
  });

  it("waitForEvent timed out", async () => {
    const event = { name: "conf/order", data: { orderId: "o-2" } };
    const engine = outcomeOf(await runToEnd(event.name, event.data)); // 10m at the test time scale: 0.6 s
    expect(engine).toEqual({ status: "completed", output: "timed out" });
    expect(engine).toEqual(await underInngestTest(reference.waitForEvent, event, { stepTools: { waitForEvent: async () => null } }));
  });

  it("a step that fails once, then succeeds on its retry", async () => {
    const event = { name: "conf/flaky", data: {} };
    const engine = outcomeOf(await runToEnd(event.name, event.data));
    expect(engine).toEqual({ status: "completed", output: "ok on attempt 1" });
    expect(engine).toEqual(await underInngestTest(reference.flaky, event, { attempt: 1 }));
  });

  it("NonRetriableError fails the run at once", async () => {
    const before = probes.nonRetriableCalls;
    const event = { name: "conf/non-retriable", data: {} };
    const engine = outcomeOf(await runToEnd(event.name, event.data));
    expect(engine).toEqual({ status: "failed", message: "account closed, not retrying" });
    expect(probes.nonRetriableCalls - before).toBe(1);
    expect(engine).toEqual(await underInngestTest(reference.nonRetriable, event));
  });

  it("RetryAfterError retries the step later", async () => {
    const event = { name: "conf/retry-after", data: {} };
    const run = await runToEnd(event.name, event.data);
    expect(outcomeOf(run)).toEqual({ status: "completed", output: "served on attempt 1" });
    expect(outcomeOf(run)).toEqual(await underInngestTest(reference.retryAfter, event, { attempt: 1 }));
  });

  it("retries exhausted: the run fails after retries + 1 attempts and onFailure runs", async () => {
    const before = probes.exhaustedCalls;
    const event = { name: "conf/exhausted", data: {} };
    const run = await runToEnd(event.name, event.data);
    expect(outcomeOf(run)).toEqual({ status: "failed", message: "downstream is down" });
    expect(probes.exhaustedCalls - before).toBe(3); // retries: 2
    expect(outcomeOf(run)).toEqual(await underInngestTest(reference.exhausted, event, { attempt: 2 }));

    const handler = await systemRunAbout("conformance-exhausted-failure", run.id);
    expect(handler.event.name).toBe("inngest/function.failed");
    expect(outcomeOf(handler)).toEqual({ status: "completed", output: { handled: "downstream is down" } });
  });

  it("cancelOn cancels a sleeping run whose match field agrees", async () => {
    const before = probes.afterSleepCalls;
    const { ids } = await h.client.send({ name: "conf/cancellable", data: { orderId: "c-1" } });
    const [runId] = await runsForEvent(getDb(), ids[0]);
    await until(async () => (await getDb().query(`SELECT 1 FROM "EngineJob" WHERE "runId" = $1 AND kind = 'timer'`, [runId])).length > 0, `run ${runId} to sleep`);
    await h.client.send({ name: "conf/cancel", data: { orderId: "c-other" } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await getDb().query<{ status: string }>(`SELECT status FROM "EngineRun" WHERE id = $1`, [runId]))[0].status).toBe("running");
    await h.client.send({ name: "conf/cancel", data: { orderId: "c-1" } });
    const run = await h.waitForRun(runId);
    expect(run.status).toBe("cancelled");
    expect(probes.afterSleepCalls).toBe(before);
    expect(await getDb().query(`SELECT 1 FROM "EngineJob" WHERE "runId" = $1`, [runId])).toEqual([]);
    // @inngest/test agrees the run is parked in that sleep when the cancel arrives.
    const t = new InngestTestEngine({ function: reference.cancellable, events: [{ name: "conf/cancellable", data: { orderId: "c-1" } }] });
    const { result } = await t.executeStep("started");
    expect(result).toBe("started");
  });

  it("the cancel API cancels a running run", async () => {
    const { ids } = await h.client.send({ name: "conf/cancellable", data: { orderId: "c-2" } });
    const [runId] = await runsForEvent(getDb(), ids[0]);
    await waitUntilWaiting(runId, "cancel");
    expect(await h.engine.cancelRun(runId)).toBe(true);
    expect((await h.waitForRun(runId)).status).toBe("cancelled");
    expect(await h.engine.cancelRun(runId)).toBe(false);

    const byEventId = await h.client.send({ name: "conf/cancellable", data: { orderId: "c-3" }, id: "app-run-42" });
    const [other] = await runsForEvent(getDb(), byEventId.ids[0]);
    await waitUntilWaiting(other, "cancel");
    expect(await h.engine.cancelRunsTriggeredBy("app-run-42")).toEqual([other]);
    expect((await h.waitForRun(other)).status).toBe("cancelled");
  });

  it("concurrency limit 1: steps of two runs never overlap", async () => {
    probes.maxInFlight = 0;
    const sent = await h.client.send([1, 2, 3].map((n) => ({ name: "conf/limited", data: { n } })));
    const runIds = (await Promise.all(sent.ids.map((id) => runsForEvent(getDb(), id)))).flat();
    const runs = await Promise.all(runIds.map((id) => h.waitForRun(id)));
    expect(runs.map(outcomeOf)).toEqual([1, 2, 3].map((n) => ({ status: "completed", output: `done ${n}` })));
    expect(probes.maxInFlight).toBe(1);
    expect(outcomeOf(runs[0])).toEqual(await underInngestTest(reference.limited, { name: "conf/limited", data: { n: 1 } }));
  });

  it("concurrency limit 3: twelve runs finish with never more than three running, every slot used", async () => {
    probes.threeMaxInFlight = 0;
    const sent = await h.client.send(Array.from({ length: 12 }, (_, n) => ({ name: "conf/limited-three", data: { n } })));
    const runIds = (await Promise.all(sent.ids.map((id) => runsForEvent(getDb(), id)))).flat();
    const runs = await Promise.all(runIds.map((id) => h.waitForRun(id)));
    expect(runs.map(outcomeOf)).toEqual(Array.from({ length: 12 }, (_, n) => ({ status: "completed", output: `done ${n}` })));
    expect(probes.threeMaxInFlight).toBe(3);
    expect(probes.threeInFlight).toBe(0);
  });

  it("an event id seen before starts no second run", async () => {
    const run = await runToEnd("conf/deduped", { n: 1 }, "delivery-123");
    expect(outcomeOf(run)).toEqual({ status: "completed", output: "processed 1" });
    const again = await h.client.send({ name: "conf/deduped", data: { n: 2 }, id: "delivery-123" });
    expect(again.ids).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await runsForEvent(getDb(), again.ids[0], 1, 0)).toEqual([]);
    expect(await h.runsOf("conformance-deduped")).toHaveLength(1);
    expect(outcomeOf(run)).toEqual(await underInngestTest(reference.deduped, { name: "conf/deduped", data: { n: 1 } }));
  });

  it("a trailing wildcard trigger matches every event name with that prefix, and only those", async () => {
    const run = await runToEnd("conf/wild.created", {});
    expect(outcomeOf(run)).toEqual({ status: "completed", output: "conf/wild.created" });
    expect(outcomeOf(run)).toEqual(await underInngestTest(reference.wildcard, { name: "conf/wild.created", data: {} }));
    const other = await h.client.send({ name: "conf/wildcard", data: {} });
    expect(await runsForEvent(getDb(), other.ids[0], 1, 300)).toEqual([]);
  });

  it("event.id inside a function is the sender's id, or the id the engine answered when none was given", async () => {
    const given = await runToEnd("conf/event-id", {}, "order-77");
    expect(outcomeOf(given)).toEqual({ status: "completed", output: "order-77" });
    expect(outcomeOf(given)).toEqual(await underInngestTest(reference.eventId, { id: "order-77", name: "conf/event-id", data: {} } as never));
    const { ids } = await h.client.send({ name: "conf/event-id", data: {} });
    const [runId] = await runsForEvent(getDb(), ids[0]);
    expect(outcomeOf(await h.waitForRun(runId))).toEqual({ status: "completed", output: ids[0] });
  });

  it("inngest/function.finished carries the run's result to functions triggered by it", async () => {
    const run = await runToEnd("conf/sequential", { n: 1 });
    const watcher = await systemRunAbout("conformance-finished-watcher", run.id);
    expect(watcher.event.name).toBe("inngest/function.finished");
    expect(outcomeOf(watcher)).toEqual({ status: "completed", output: { run_id: run.id, result: { a: 1, b: 2, c: 3 }, trigger: "conf/sequential" } });
  });

  it("a function whose id merely ends in -failure still emits inngest/function.failed", async () => {
    const run = await runToEnd("conf/ends-failure", {});
    expect(outcomeOf(run)).toEqual({ status: "failed", message: "named like a handler" });
    const watcher = await systemRunAbout("conformance-failed-watcher", run.id);
    expect(outcomeOf(watcher)).toEqual({ status: "completed", output: { run_id: run.id, message: "named like a handler" } });
  });

  it("inngest/function.cancelled carries data.error 'function cancelled'", async () => {
    const { ids } = await h.client.send({ name: "conf/cancellable", data: { orderId: "c-9" } });
    const [runId] = await runsForEvent(getDb(), ids[0]);
    await waitUntilWaiting(runId, "cancel");
    expect(await h.engine.cancelRun(runId)).toBe(true);
    const watcher = await systemRunAbout("conformance-cancelled-watcher", runId);
    expect(outcomeOf(watcher)).toEqual({
      status: "completed",
      output: { run_id: runId, error: { name: "Error", message: "function cancelled", error: "function cancelled" } },
    });
  });
});

describe("functions the embedded engine cannot run", () => {
  it("refuses a wildcard anywhere but at the end after / or . at sync", async () => {
    const { createTestDatabase } = await import("../helpers/databases");
    const db = await createTestDatabase();
    try {
      await expect(
        startHarness({ db, functions: (client) => [client.createFunction({ id: "mid-wildcard", triggers: [{ event: "app/*.created" }] }, async () => "never")] }),
      ).rejects.toThrow(/function "conformance-mid-wildcard": trigger "app\/\*\.created": a wildcard must be the last character/);
    } finally {
      await db.destroy();
    }
  });

  it("refuses an unsupported trigger expression at sync, naming the function and the expression", async () => {
    const { createTestDatabase } = await import("../helpers/databases");
    const db = await createTestDatabase();
    try {
      await expect(
        startHarness({
          db,
          functions: (client) => [
            client.createFunction(
              { id: "macro", triggers: [{ event: "x/y", if: "event.data.tags.exists(t, t == 'vip')" }] },
              async () => "never",
            ),
          ],
        }),
      ).rejects.toThrow(/function "conformance-macro", trigger if: Unsupported expression "event\.data\.tags\.exists\(t, t == 'vip'\)"/);
    } finally {
      await db.destroy();
    }
  });
});
