// Per-flow settings stored in Flow.settings (JSON): run concurrency and failure alerts. Client-safe.
import { z } from "zod";

export const alertSettingsSchema = z.object({
  enabled: z.boolean().default(false).describe("Send an alert when runs fail for good"),
  rule: z.enum(["first_failure", "consecutive_failures"]).default("first_failure").describe("Alert on the first failure after a success, or after N failures in a row"),
  threshold: z.number().int().min(2).max(100).default(3).describe("N: consecutive failures before alerting"),
  credentialId: z.string().optional().describe("Where to send alerts: a Slack, Discord, Teams, HTTP endpoint or SMTP credential"),
  emailTo: z.string().default("").describe("Recipient when the alert credential is SMTP"),
  minIntervalMinutes: z.number().int().min(0).max(10_080).default(60).describe("At most one alert per this many minutes for this flow"),
});

export const flowSettingsSchema = z.object({
  /**
   * Runs of this flow executing at once (waiting runs do not count); empty = only the engine's
   * per-flow ceiling (SWITCHYARD_FLOW_CONCURRENCY, default 10).
   */
  maxConcurrentRuns: z.number().int().min(1).max(1000).nullable().default(null).describe("Runs of this flow that may execute at the same time (empty = no limit beyond the server's)"),
  alerts: alertSettingsSchema.default({ enabled: false, rule: "first_failure", threshold: 3, emailTo: "", minIntervalMinutes: 60 }),
});

export type FlowSettings = z.output<typeof flowSettingsSchema>;
export type AlertSettings = z.output<typeof alertSettingsSchema>;

/** Parses stored settings; a malformed value falls back to defaults rather than breaking runs. */
export function parseFlowSettings(value: unknown): FlowSettings {
  const parsed = flowSettingsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : flowSettingsSchema.parse({});
}
