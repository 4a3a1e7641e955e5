import { z } from "zod";
import { defineNode } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";
import { presenceTestedFields, ruleGroupShape } from "../shared/rules";

export const SWITCH_FALLBACK_PORT = "default";

export const switchConfigSchema = z
  .object({
    cases: z
      .array(
        z.object({
          name: z
            .string()
            .min(1, "Case name is required")
            .max(64)
            .regex(/^[A-Za-z0-9_-]+$/, "Case names may contain only letters, digits, _ and -")
            .describe("Case name (becomes the output label)"),
          ...ruleGroupShape,
        }),
      )
      .min(1, "Add at least one case")
      .describe("Cases, checked in order; the first that matches wins"),
    fallback: z.boolean().default(true).describe('Add a "default" output for runs that match no case'),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.cases.forEach((item, index) => {
      if (seen.has(item.name)) ctx.addIssue({ code: "custom", path: ["cases", index, "name"], message: `Case name "${item.name}" is used twice` });
      if (item.name === SWITCH_FALLBACK_PORT) ctx.addIssue({ code: "custom", path: ["cases", index, "name"], message: `"${SWITCH_FALLBACK_PORT}" is reserved for the fallback output` });
      seen.add(item.name);
    });
  });

export type SwitchConfig = z.output<typeof switchConfigSchema>;

export const switchDefinition = defineNode({
  kind: "switch",
  title: "Switch",
  description: "Route the run to the first named case whose rules match, or to the default output.",
  category: "logic",
  icon: "Split",
  isTrigger: false,
  hasEffects: false,
  pure: true,
  pauses: false,
  configSchema: switchConfigSchema,
  outputPorts: (config) => [...config.cases.map((item) => item.name), ...(config.fallback ? [SWITCH_FALLBACK_PORT] : [])],
  // Case names as typed so far, so edges keep their handles while a case is incomplete.
  fallbackPorts: (config) => {
    const cases = Array.isArray(config.cases) ? config.cases : [];
    const names = cases.map((item) => (item && typeof item === "object" ? String((item as { name?: unknown }).name ?? "") : "")).filter(Boolean);
    return [...names, ...(config.fallback === false ? [] : [SWITCH_FALLBACK_PORT])];
  },
  portsFromOutput: (output) => (typeof output.case === "string" ? [output.case] : output.case === null ? [] : null),
  defaultRetry: NO_RETRY_POLICY,
  emptyAllowedFields: (config) => config.cases.flatMap((item, index) => presenceTestedFields(item, `cases[${index}].`)),
  summarize: (config) => `Cases: ${config.cases.map((item) => item.name).join(", ")}${config.fallback ? ", default" : ""}`,
  fieldSyntax: { "cases.name": "literal" },
  outputExample: (config) => ({ case: config.cases?.[0]?.name ?? "default" }),
});
