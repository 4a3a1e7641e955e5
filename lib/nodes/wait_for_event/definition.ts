import { z } from "zod";
import { defineNode } from "../node-definition";
import { describeDuration, durationSchema } from "../shared/duration";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

export const waitForEventConfigSchema = z.object({
  eventName: z
    .string()
    .min(1, "Name the event to wait for")
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/, "Event names may contain letters, digits, . _ : and -")
    .describe("Event name, e.g. order.shipped"),
  correlationKey: z.string().min(1, "A correlation key is required").describe("Only an event with this key resumes the run, e.g. {{ trigger.body.orderId }}"),
  timeout: durationSchema.default({ amount: 1, unit: "days" }).describe("Give up after"),
  onTimeout: z.enum(["timeout_output", "fail"]).default("timeout_output").describe('On timeout: continue through the "timeout" output, or fail the run'),
});

export type WaitForEventConfig = z.output<typeof waitForEventConfigSchema>;

export const waitForEventDefinition = defineNode({
  kind: "wait_for_event",
  title: "Wait for event",
  description: "Pause until a matching event arrives (POST /api/v1/events), with a timeout.",
  category: "timing",
  icon: "Hourglass",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: true,
  configSchema: waitForEventConfigSchema,
  outputPorts: () => ["out", "timeout"],
  fallbackPorts: () => ["out", "timeout"],
  portsFromOutput: (output) => (typeof output.received === "boolean" ? [output.received ? "out" : "timeout"] : null),
  portLabels: { out: "Received", timeout: "Timed out" },
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) => `Wait for ${config.eventName} (up to ${describeDuration(config.timeout)})`,
  fieldSyntax: { eventName: "literal" },
  outputExample: () => ({ received: true, payload: {} }),
});
