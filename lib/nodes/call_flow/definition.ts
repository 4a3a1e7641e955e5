import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

export const callFlowConfigSchema = z.object({
  flowId: z.string().min(1, "Choose the flow to call").describe("Flow to call (a published flow of this workspace)"),
  input: z
    .unknown()
    .optional()
    .describe("Input: the called flow's trigger body, an object whose values may be expressions, or one expression such as {{ trigger.body }}"),
  wait: z.boolean().default(true).describe("Wait for the called flow to finish and output its result (off: go on at once with its run id)"),
});

export type CallFlowConfig = z.output<typeof callFlowConfigSchema>;

export const callFlowDefinition = defineNode({
  kind: "call_flow",
  title: "Call flow",
  description: "Run another published flow of this workspace with an input; wait for its result or go on at once.",
  category: "logic",
  icon: "Workflow",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  // Waiting is a step.invoke between the node's step and its resume step.
  pauses: true,
  configSchema: callFlowConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  // Starting the child is idempotent per run and node, and the child retries its own steps.
  defaultRetry: NO_RETRY_POLICY,
  flowFields: ["flowId"],
  summarize: (config) => (config.wait ? "Call a flow and wait for its result" : "Start a flow and go on"),
  fieldSyntax: { flowId: "literal" },
  outputExample: (config) => (config.wait === false ? { runId: "run_…", flowId: config.flowId ?? "" } : { runId: "run_…", flowId: config.flowId ?? "", status: "succeeded", result: {} }),
});
