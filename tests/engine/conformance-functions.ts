// The conformance functions: small Inngest functions covering each execution feature. The same
// definitions run under @inngest/test and under the embedded engine (conformance.test.ts).
import { NonRetriableError, RetryAfterError, type Inngest } from "inngest";

/** Observations made inside step code (shared by both executions of a test file). */
export const probes = {
  nonRetriableCalls: 0,
  exhaustedCalls: 0,
  afterSleepCalls: 0,
  inFlight: 0,
  maxInFlight: 0,
  threeInFlight: 0,
  threeMaxInFlight: 0,
  failureHandled: [] as string[],
};

export function conformanceFunctions(client: Inngest) {
  return {
    sequential: client.createFunction({ id: "sequential", triggers: [{ event: "conf/sequential" }] }, async ({ step, event }) => {
      const a = await step.run("a", () => 1);
      const b = await step.run("b", () => a + 1);
      const c = await step.run("c", () => b + (event.data as { n: number }).n);
      return { a, b, c };
    }),
    parallel: client.createFunction({ id: "parallel", triggers: [{ event: "conf/parallel" }] }, async ({ step }) => {
      const [left, right] = await Promise.all([step.run("left", () => "L"), step.run("right", () => "R")]);
      return step.run("join", () => `${left}+${right}`);
    }),
    sleep: client.createFunction({ id: "sleep", triggers: [{ event: "conf/sleep" }] }, async ({ step }) => {
      const before = await step.run("before", () => "before");
      await step.sleep("nap", "30s");
      const after = await step.run("after", () => "after");
      return [before, after];
    }),
    waitForEvent: client.createFunction({ id: "wait-for-event", triggers: [{ event: "conf/order" }] }, async ({ step }) => {
      const approval = await step.waitForEvent("wait-approval", { event: "conf/approved", timeout: "10m", match: "data.orderId" });
      return approval ? { approvedBy: (approval.data as { by: string }).by } : "timed out";
    }),
    // A CEL `if` beyond plain comparisons (functions, in, arithmetic), as Inngest evaluates it.
    waitForEventIf: client.createFunction({ id: "wait-for-event-if", triggers: [{ event: "conf/quote" }] }, async ({ step }) => {
      const accepted = await step.waitForEvent("wait-accept", {
        event: "conf/accepted",
        timeout: "10m",
        if: "async.data.quoteId == event.data.quoteId && async.data.email.lowerAscii().endsWith('@acme.io') && async.data.seats in [5, 10] && async.data.seats * 2 >= size(event.data.items)",
      });
      return accepted ? { by: (accepted.data as { email: string }).email } : "timed out";
    }),
    flaky: client.createFunction({ id: "flaky", triggers: [{ event: "conf/flaky" }] }, async ({ step, attempt }) => {
      return step.run("flaky-step", () => {
        if (attempt < 1) throw new Error(`transient failure on attempt ${attempt}`);
        return `ok on attempt ${attempt}`;
      });
    }),
    nonRetriable: client.createFunction({ id: "non-retriable", triggers: [{ event: "conf/non-retriable" }] }, async ({ step }) => {
      await step.run("refuse", () => {
        probes.nonRetriableCalls++;
        throw new NonRetriableError("account closed, not retrying");
      });
      return "unreachable";
    }),
    retryAfter: client.createFunction({ id: "retry-after", triggers: [{ event: "conf/retry-after" }] }, async ({ step, attempt }) => {
      return step.run("rate-limited", () => {
        if (attempt < 1) throw new RetryAfterError("rate limited", "20s");
        return `served on attempt ${attempt}`;
      });
    }),
    exhausted: client.createFunction(
      {
        id: "exhausted",
        retries: 2,
        triggers: [{ event: "conf/exhausted" }],
        onFailure: async ({ error, step }) => {
          await step.run("record-failure", () => {
            probes.failureHandled.push(error.message);
          });
          return { handled: error.message };
        },
      },
      async ({ step }) => {
        await step.run("always-fails", () => {
          probes.exhaustedCalls++;
          throw new Error("downstream is down");
        });
        return "unreachable";
      },
    ),
    cancellable: client.createFunction(
      { id: "cancellable", triggers: [{ event: "conf/cancellable" }], cancelOn: [{ event: "conf/cancel", match: "data.orderId" }] },
      async ({ step }) => {
        await step.run("started", () => "started");
        await step.sleep("long-nap", "1d");
        return step.run("after-sleep", () => {
          probes.afterSleepCalls++;
          return "woke up";
        });
      },
    ),
    limited: client.createFunction({ id: "limited", concurrency: 1, triggers: [{ event: "conf/limited" }] }, async ({ step, event }) => {
      return step.run("exclusive", async () => {
        probes.inFlight++;
        probes.maxInFlight = Math.max(probes.maxInFlight, probes.inFlight);
        await new Promise((resolve) => setTimeout(resolve, 40));
        probes.inFlight--;
        return `done ${(event.data as { n: number }).n}`;
      });
    }),
    // Two steps per run: a slot is held across the steps and handed on when the run ends.
    limitedThree: client.createFunction({ id: "limited-three", concurrency: 3, triggers: [{ event: "conf/limited-three" }] }, async ({ step, event }) => {
      const n = (event.data as { n: number }).n;
      await step.run("enter", async () => {
        probes.threeInFlight++;
        probes.threeMaxInFlight = Math.max(probes.threeMaxInFlight, probes.threeInFlight);
        await new Promise((resolve) => setTimeout(resolve, 30));
      });
      return step.run("leave", async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        probes.threeInFlight--;
        return `done ${n}`;
      });
    }),
    deduped: client.createFunction({ id: "deduped", triggers: [{ event: "conf/deduped" }] }, async ({ step, event }) => {
      return step.run("once", () => `processed ${(event.data as { n: number }).n}`);
    }),
    // Inngest: a trailing wildcard after "/" or "." matches every event name with that prefix.
    wildcard: client.createFunction({ id: "wildcard", triggers: [{ event: "conf/wild.*" }] }, async ({ event }) => event.name),
    // Inngest: event.id is the id the sender gave (else one Inngest assigned).
    eventId: client.createFunction({ id: "event-id", triggers: [{ event: "conf/event-id" }] }, async ({ event }) => event.id ?? null),
    // Only its id says "-failure": it is no onFailure handler, so its failure emits inngest/function.failed.
    endsInFailure: client.createFunction({ id: "ends-failure", retries: 0, triggers: [{ event: "conf/ends-failure" }] }, async () => {
      throw new NonRetriableError("named like a handler");
    }),
    failedWatcher: client.createFunction(
      { id: "failed-watcher", triggers: [{ event: "inngest/function.failed", if: "event.data.function_id == 'conformance-ends-failure'" }] },
      async ({ event }) => ({ run_id: event.data.run_id, message: (event.data.error as { message?: string }).message }),
    ),
    finishedWatcher: client.createFunction(
      { id: "finished-watcher", triggers: [{ event: "inngest/function.finished", if: "event.data.function_id == 'conformance-sequential'" }] },
      async ({ event }) => ({ run_id: event.data.run_id, result: event.data.result, trigger: event.data.event.name }),
    ),
    cancelledWatcher: client.createFunction(
      { id: "cancelled-watcher", triggers: [{ event: "inngest/function.cancelled", if: "event.data.function_id == 'conformance-cancellable'" }] },
      async ({ event }) => ({ run_id: event.data.run_id, error: event.data.error }),
    ),
  };
}
