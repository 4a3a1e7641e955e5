import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { describeDuration, durationSchema } from "../shared/duration";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

export const delayConfigSchema = z
  .object({
    mode: z.enum(["duration", "until"]).default("duration").describe("Wait for a duration, or until a point in time"),
    duration: durationSchema.default({ amount: 5, unit: "minutes" }).describe("How long to wait"),
    until: z.string().default("").describe("Wait until this time: an ISO timestamp or an expression such as {{ trigger.body.sendAt }}"),
  })
  .superRefine((config, ctx) => {
    if (config.mode === "until" && !config.until.trim()) ctx.addIssue({ code: "custom", path: ["until"], message: "Give the time to wait until" });
  });

export type DelayConfig = z.output<typeof delayConfigSchema>;

export const delayDefinition = defineNode({
  kind: "delay",
  title: "Delay",
  description: "Pause the run for a while or until a given time, then continue.",
  category: "timing",
  icon: "Timer",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: true,
  configSchema: delayConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) => (config.mode === "until" ? `Until ${config.until}` : `Wait ${describeDuration(config.duration)}`),
  outputExample: () => ({ waitedUntil: "2026-01-01T09:00:00.000Z" }),
});
