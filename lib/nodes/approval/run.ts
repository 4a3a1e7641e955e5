// Server-only: waits for an approve/reject decision for this run and node.
import { APPROVAL_DECIDED, celString, type ApprovalDecidedData } from "@/lib/runs/run-events";
import { NodeError, type NodeRunner } from "../node-runner";
import { durationToMs, MAX_PAUSE_MS } from "../shared/duration";
import type { ApprovalConfig } from "./definition";

export const approvalRunner: NodeRunner<ApprovalConfig> = {
  async run(ctx) {
    const match = [`async.data.runId == ${celString(ctx.run.id)}`, `async.data.nodeId == ${celString(ctx.node.id)}`].join(" && ");
    return {
      pause: "wait_for_event",
      event: APPROVAL_DECIDED,
      match,
      timeoutMs: Math.min(durationToMs(ctx.config.timeout), MAX_PAUSE_MS),
      output: { message: String(ctx.config.message ?? "") },
    };
  },
  async resume(ctx, event, pauseOutput) {
    const message = (pauseOutput as { message?: string }).message ?? "";
    if (event) {
      const decision = event.data as ApprovalDecidedData;
      const approved = decision.decision === "approve";
      return {
        output: { message, decision: decision.decision, decidedBy: decision.decidedBy, comment: decision.comment, timedOut: false },
        ports: [approved ? "approved" : "rejected"],
      };
    }
    if (ctx.config.onTimeout === "fail") throw new NodeError("Nobody approved or rejected before the timeout", { retryable: false, code: "timeout" });
    const decision = ctx.config.onTimeout;
    return { output: { message, decision, decidedBy: null, comment: "", timedOut: true }, ports: [decision === "approve" ? "approved" : "rejected"] };
  },
};
