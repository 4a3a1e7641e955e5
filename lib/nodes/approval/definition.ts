import { z } from "zod";
import { defineNode } from "../node-definition";
import { describeDuration, durationSchema } from "../shared/duration";
import { NO_RETRY_POLICY } from "../shared/retry-policy";
import { truncate } from "../shared/truncate";

export const approvalConfigSchema = z.object({
  message: z.string().min(1, "Tell the approver what to decide").describe("What the approver sees in the run log (expressions allowed)"),
  timeout: durationSchema.default({ amount: 3, unit: "days" }).describe("Decide automatically after"),
  onTimeout: z.enum(["reject", "approve", "fail"]).default("reject").describe("On timeout: reject, approve, or fail the run"),
});

export type ApprovalConfig = z.output<typeof approvalConfigSchema>;

export const approvalDefinition = defineNode({
  kind: "approval",
  title: "Approval",
  description: "Pause until someone approves or rejects in the run log; continue through the matching output.",
  category: "timing",
  icon: "ShieldCheck",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: true,
  configSchema: approvalConfigSchema,
  outputPorts: () => ["approved", "rejected"],
  // Its ports do not depend on the config: the canvas shows them while the message is still empty.
  fallbackPorts: () => ["approved", "rejected"],
  portsFromOutput: (output) => (output.decision === "approve" ? ["approved"] : output.decision === "reject" ? ["rejected"] : null),
  portLabels: { approved: "Approved", rejected: "Rejected" },
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) => `Approve: ${truncate(config.message, 40)} (${describeDuration(config.timeout)})`,
  outputExample: (config) => ({ message: config.message ?? "", decision: "approve", decidedBy: "someone@example.com", comment: "", timedOut: false }),
});
