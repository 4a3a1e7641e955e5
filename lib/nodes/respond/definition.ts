import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { keyValueListSchema } from "../shared/key-value";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

export const respondConfigSchema = z.object({
  status: z.number().int().min(200).max(599).default(200).describe("HTTP status returned to the caller"),
  headers: keyValueListSchema("Response header"),
  body: z.unknown().optional().describe("Response body: JSON (values may be expressions) or text"),
  contentType: z.string().default("application/json").describe("Content-Type of the response"),
});

export type RespondConfig = z.output<typeof respondConfigSchema>;

export const respondDefinition = defineNode({
  kind: "respond",
  title: "Respond to webhook",
  description: "Set the status and body returned to the webhook caller when the endpoint answers synchronously.",
  category: "response",
  icon: "Reply",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: false,
  configSchema: respondConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) => `Respond ${config.status}`,
  fieldSyntax: { contentType: "literal" },
  outputExample: (config) => ({ status: config.status ?? 200, headers: {}, body: config.body ?? null }),
});
