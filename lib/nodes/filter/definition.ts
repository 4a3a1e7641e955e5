import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";
import { presenceTestedFields, ruleGroupShape, summarizeRules } from "../shared/rules";

export const filterConfigSchema = z.object(ruleGroupShape);

export type FilterConfig = z.output<typeof filterConfigSchema>;

export const filterDefinition = defineNode({
  kind: "filter",
  title: "Filter",
  description: "Continue only when the rules hold; otherwise this path stops quietly and the run still succeeds.",
  category: "logic",
  icon: "Filter",
  isTrigger: false,
  hasEffects: false,
  pure: true,
  pauses: false,
  stopSkipsRun: true,
  configSchema: filterConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  portsFromOutput: (output) => (typeof output.passed === "boolean" ? (output.passed ? ["out"] : []) : null),
  defaultRetry: NO_RETRY_POLICY,
  emptyAllowedFields: (config) => presenceTestedFields(config),
  summarize: (config) => `Only if ${summarizeRules(config)}`,
  outputExample: () => ({ passed: true, rules: [] }),
});
