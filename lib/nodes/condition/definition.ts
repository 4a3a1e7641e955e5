import { z } from "zod";
import { defineNode } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";
import { presenceTestedFields, ruleGroupShape, summarizeRules } from "../shared/rules";

export const conditionConfigSchema = z.object(ruleGroupShape);

export type ConditionConfig = z.output<typeof conditionConfigSchema>;

export const conditionDefinition = defineNode({
  kind: "condition",
  title: "If / else",
  description: "Send the run down the true or the false branch depending on rules (equals, contains, greater than, exists, regex…).",
  category: "logic",
  icon: "GitBranch",
  isTrigger: false,
  hasEffects: false,
  pure: true,
  pauses: false,
  configSchema: conditionConfigSchema,
  outputPorts: () => ["true", "false"],
  fallbackPorts: () => ["true", "false"],
  portsFromOutput: (output) => (typeof output.result === "boolean" ? [output.result ? "true" : "false"] : null),
  portLabels: { true: "True", false: "False" },
  defaultRetry: NO_RETRY_POLICY,
  emptyAllowedFields: (config) => presenceTestedFields(config),
  summarize: (config) => `If ${summarizeRules(config)}`,
  outputExample: () => ({ result: true, rules: [] }),
});
