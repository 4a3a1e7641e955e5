// Schedule trigger: starts the flow at the times of a cron expression in a time zone. A published,
// active flow with it is run by an Inngest cron function of its own (lib/schedules), on the
// embedded engine and on Inngest alike, so the expression is checked here exactly as Inngest
// checks it (lib/schedules/parse-cron.ts) and refused at publish with the reason.
import { z } from "zod";
import { CronSyntaxError, cronWithTimezone, parseCron } from "@/lib/schedules/parse-cron";
import { TIME_ZONES, formatInZone } from "@/lib/schedules/time-zones";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

const NEXT_TIMES_SHOWN = 5;

export const scheduleTriggerConfigSchema = z
  .object({
    cron: z
      .string()
      .trim()
      .min(1, "Enter a cron expression, e.g. 0 9 * * 1-5 (09:00 on weekdays)")
      .default("0 9 * * 1-5")
      .describe("Cron expression: minute hour day-of-month month day-of-week (e.g. */15 * * * * every 15 minutes, 0 9 * * 1-5 at 09:00 on weekdays)"),
    timezone: z.enum(TIME_ZONES, { error: (issue) => `Unknown time zone "${String(issue.input)}"` }).default("UTC").describe("Time zone"),
    note: z.string().max(500).default("").describe("Notes for your team (optional)"),
  })
  .superRefine((config, ctx) => {
    const problem = cronProblem(config.cron, config.timezone);
    if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: problem });
  });

type ScheduleConfig = z.output<typeof scheduleTriggerConfigSchema>;

/** Why Inngest would refuse the expression, or why it would never fire; null when it is fine. */
function cronProblem(cron: string, timezone: string): string | null {
  if (/^(?:CRON_)?TZ=/.test(cron)) return "Choose the time zone in the Time zone field, not in the expression";
  try {
    const schedule = parseCron(cronWithTimezone(cron, timezone));
    return schedule.nextAfter(new Date()) ? null : `"${cron}" never happens (no such date, e.g. 30 February)`;
  } catch (error) {
    if (error instanceof CronSyntaxError) return `"${cron}" isn't a valid cron expression: ${error.reason}`;
    throw error;
  }
}

/** The next times a schedule fires, in its time zone (for the inspector). */
export function nextTimesOf(config: Pick<ScheduleConfig, "cron" | "timezone">, from = new Date(), count = NEXT_TIMES_SHOWN): string[] {
  return parseCron(cronWithTimezone(config.cron, config.timezone))
    .nextTimes(count, from)
    .map((date) => formatInZone(date, config.timezone));
}

export const scheduleTriggerDefinition = defineNode({
  kind: "schedule_trigger",
  title: "Schedule",
  description: "Starts the flow at set times: a cron expression in a time zone. Times missed while the app was down are not made up.",
  category: "triggers",
  icon: "CalendarClock",
  isTrigger: true,
  startedBy: "schedule",
  hasEffects: false,
  pure: false,
  pauses: false,
  configSchema: scheduleTriggerConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) => config.note || `${config.cron} (${config.timezone})`,
  fieldSyntax: { cron: "literal", timezone: "literal", note: "literal" },
  schedule: (config) => ({ cron: config.cron, timezone: config.timezone }),
  preview: (config) => ({ heading: `Next ${NEXT_TIMES_SHOWN} runs (${config.timezone})`, lines: nextTimesOf(config) }),
  // What a scheduled run's trigger looks like: the scheduled time, the expression and its zone.
  outputExample: (config) => ({
    body: { scheduledAt: "2026-01-05T09:00:00.000Z", cron: config.cron ?? "0 9 * * 1-5", timezone: config.timezone ?? "UTC" },
    headers: {},
    query: {},
    method: "SCHEDULE",
    receivedAt: "2026-01-05T09:00:00.000Z",
  }),
});
