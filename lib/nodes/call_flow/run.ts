// Server-only: starts the called flow's run (lib/runs/start-child-run.ts); with `wait`, pauses
// until that run ends (step.invoke) and outputs its result.
import { z } from "zod";
import { NodeError, type NodeRunner } from "../node-runner";
import type { CallFlowConfig } from "./definition";

/** What run-workflow returns for the invoked run (ExecuteRunResult), or a failure the engine reported. */
const invokedResultSchema = z.object({
  runId: z.string().optional(),
  status: z.string(),
  output: z.unknown().optional(),
  error: z.object({ message: z.unknown().optional() }).passthrough().optional(),
});

export const callFlowRunner: NodeRunner<CallFlowConfig> = {
  async run(ctx) {
    const { flowId, wait } = ctx.config;
    const child = await ctx.startChildRun({ flowId, input: ctx.config.input ?? {}, wait });
    const started = { runId: child.runId, flowId, flowName: child.flowName };
    if (!wait) return { output: started };
    return { pause: "invoke", run: child.request, output: started };
  },
  async resume(ctx, event, pauseOutput) {
    const started = pauseOutput as { runId: string; flowId: string; flowName: string };
    const parsed = invokedResultSchema.safeParse(event?.data);
    if (!parsed.success) throw new NodeError(`The called flow "${started.flowName}" (run ${started.runId}) ended without a result`, { retryable: false, code: "subflow_failed" });
    const result = parsed.data;
    if (result.status === "succeeded" || result.status === "skipped") {
      return { output: { ...started, status: result.status, result: result.output ?? null } };
    }
    const reason = typeof result.error?.message === "string" ? result.error.message : `it ended ${result.status}`;
    throw new NodeError(`The called flow "${started.flowName}" (run ${started.runId}) failed: ${reason}`, { retryable: false, code: "subflow_failed" });
  },
};
