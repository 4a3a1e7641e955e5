import { z } from "zod";
import { setAtPath } from "@/lib/expressions/safe-object";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

export const transformConfigSchema = z
  .object({
    mode: z.enum(["fields", "expression"]).default("fields").describe("Build the output field by field, or with one JSONata expression"),
    fields: z
      .array(
        z.object({
          path: z
            .string()
            .min(1, "Field name is required")
            .regex(/^[^.\s]+(\.[^.\s]+)*$/, "Use a field name or a dotted path such as customer.email")
            .describe("Output field (dotted paths create nested objects)"),
          value: z.string().default("").describe("Value: text or an expression such as {{ trigger.body.email }}"),
        }),
      )
      .default([])
      .describe("Fields of the new object"),
    expression: z.string().default("").describe("JSONata expression over { trigger, steps, run }, e.g. { \"email\": trigger.body.email }"),
  })
  .superRefine((config, ctx) => {
    if (config.mode === "expression" && !config.expression.trim()) ctx.addIssue({ code: "custom", path: ["expression"], message: "Write the JSONata expression" });
    if (config.mode === "fields" && config.fields.length === 0) ctx.addIssue({ code: "custom", path: ["fields"], message: "Add at least one field" });
    const forbidden = config.fields.find((field) => field.path.split(".").some((part) => ["__proto__", "constructor", "prototype"].includes(part)));
    if (forbidden) ctx.addIssue({ code: "custom", path: ["fields"], message: `Field path "${forbidden.path}" uses a reserved name` });
  });

export type TransformConfig = z.output<typeof transformConfigSchema>;

export const transformDefinition = defineNode({
  kind: "transform",
  title: "Transform",
  description: "Build a new object from the trigger and earlier steps, field by field or with one JSONata expression.",
  category: "data",
  icon: "Shuffle",
  isTrigger: false,
  hasEffects: false,
  pure: true,
  pauses: false,
  configSchema: transformConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) =>
    config.mode === "expression" ? `JSONata: ${config.expression.slice(0, 50)}` : `Set ${config.fields.map((field) => field.path).join(", ") || "no fields"}`,
  fieldSyntax: { "fields.path": "literal", expression: "jsonata" },
  activeJsonataFields: (config) => (config.mode === "expression" ? ["expression"] : []),
  // Field by field, the output's shape is known before any run; one expression's is not.
  outputExample: (config) => {
    if (config.mode === "expression") return undefined;
    const output: Record<string, unknown> = {};
    for (const field of config.fields ?? []) {
      if (typeof field?.path !== "string" || !/^[^.\s]+(\.[^.\s]+)*$/.test(field.path)) continue;
      try {
        setAtPath(output, field.path, typeof field.value === "string" && !field.value.includes("{{") ? field.value : "…");
      } catch {
        // A reserved name in the path: the schema reports it.
      }
    }
    return output;
  },
});
