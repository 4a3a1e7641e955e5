// Manual trigger: a person starts the flow — the Run button of a published flow, or
// POST /api/v1/flows/:id/runs — with a JSON payload, which expressions read as trigger.body.
import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

const DEFAULT_EXAMPLE = JSON.stringify({ name: "Ada Lovelace", email: "ada@example.com" }, null, 2);

/** The example payload as JSON, or undefined while it does not parse. */
export function parseExamplePayload(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
}

export const manualTriggerConfigSchema = z.object({
  examplePayload: z
    .string()
    .max(20_000)
    .default(DEFAULT_EXAMPLE)
    .refine((text) => parseExamplePayload(text) !== undefined, "Example payload must be valid JSON")
    .describe("Example payload (JSON): fills the Run form, and later steps can pick its fields"),
  note: z.string().max(500).default("").describe("Notes for your team (optional)"),
});

export const manualTriggerDefinition = defineNode({
  kind: "manual_trigger",
  title: "Manual",
  description: "Starts the flow when someone runs it by hand (the Run button, or the API) with a JSON payload.",
  category: "triggers",
  icon: "Hand",
  isTrigger: true,
  startedBy: "manual",
  hasEffects: false,
  pure: false,
  pauses: false,
  configSchema: manualTriggerConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) => config.note || "When run by hand",
  fieldSyntax: { examplePayload: "literal", note: "literal" },
  outputExample: (config) => ({
    body: parseExamplePayload(config.examplePayload ?? DEFAULT_EXAMPLE) ?? {},
    headers: {},
    query: {},
    method: "POST",
    receivedAt: "2026-01-05T09:00:00.000Z",
  }),
});
