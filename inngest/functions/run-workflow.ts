// run-workflow: executes one run of a flow's pinned version, each node with effects as its own durable step.
// The logic lives in lib/runs/execute-run.ts; this file binds it to Inngest.
import { NonRetriableError, referenceFunction, type Inngest } from "inngest";
import { inngest } from "@/inngest/client";
import { RUN_CANCEL_REQUESTED, RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { getDatabase } from "@/lib/db";
import { MAX_PAUSE_MS } from "@/lib/nodes/shared/duration";
import { MAX_ATTEMPTS_LIMIT } from "@/lib/nodes/shared/retry-policy";
import { executeRun, type DurableSteps } from "@/lib/runs/execute-run";
import { publicUrl } from "@/lib/config/server-settings";

/** Runs of one flow executing at the same time (Inngest concurrency keyed by flow id). */
export const FLOW_CONCURRENCY = Math.max(1, Number(process.env.SWITCHYARD_FLOW_CONCURRENCY) || 10);

/** Builds run-workflow on a client (the app's, or a test harness's pointed at an embedded engine). */
export function createRunWorkflow(client: Inngest) {
  // call_flow steps invoke this same function for their child runs.
  const self = referenceFunction({ functionId: "run-workflow" });
  return client.createFunction(
    {
      id: "run-workflow",
      name: "Run workflow",
      triggers: [{ event: RUN_REQUESTED }],
      // Per-node policies decide how many attempts each step gets (≤ 21); this is the ceiling.
      retries: (MAX_ATTEMPTS_LIMIT - 1) as 20,
      concurrency: [{ key: "event.data.flowId", limit: FLOW_CONCURRENCY }],
      cancelOn: [{ event: RUN_CANCEL_REQUESTED, if: "async.data.runId == event.data.runId" }],
    },
    async ({ event, step, attempt }) => {
      const steps: DurableSteps = {
        run: (id, fn) => step.run(id, fn) as Promise<never>,
        sleep: async (id, ms) => {
          await step.sleep(id, ms);
        },
        sleepUntil: async (id, until) => {
          await step.sleepUntil(id, new Date(until));
        },
        waitForEvent: async (id, options) => (await step.waitForEvent(id, options)) as { data: unknown } | null,
        invoke: (id, data) => step.invoke(id, { function: self, data: { ...data }, timeout: MAX_PAUSE_MS }),
      };
      const result = await executeRun({
        data: event.data as RunRequestedData,
        steps,
        attempt,
        getDatabase,
        appUrl: publicUrl(),
        // Only a call_flow step waiting on step.invoke reads the output.
        returnOutput: event.name !== RUN_REQUESTED,
      });
      // The Run row already says failed; failing the Inngest run too keeps both views honest.
      if (result.status === "failed") throw new NonRetriableError(String(result.error?.message ?? "Run failed"));
      return result;
    },
  );
}

export const runWorkflow = createRunWorkflow(inngest);
