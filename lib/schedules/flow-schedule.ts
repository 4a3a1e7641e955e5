// A flow's schedule: the config of its schedule_trigger node, and the Inngest cron string that
// runs it. Client-safe (the inspector shows the next times from the same parse).
import { z } from "zod";
import { cronWithTimezone } from "./parse-cron";

/** The node kind whose config is a schedule (its folder in lib/nodes defines the rest). */
export const SCHEDULE_TRIGGER_KIND = "schedule_trigger";

export const flowScheduleSchema = z.object({
  /** Five cron fields (minute hour day-of-month month day-of-week), Inngest's syntax. */
  cron: z.string().trim().min(1),
  /** IANA time zone the fields are read in. */
  timezone: z.string().trim().min(1).default("UTC"),
});

export type FlowSchedule = z.infer<typeof flowScheduleSchema>;

/** The schedule of a graph's schedule trigger, or null when the flow is not started by a schedule. */
export function scheduleOfGraph(graph: { nodes: { kind: string; config?: unknown }[] }): FlowSchedule | null {
  const trigger = graph.nodes.find((node) => node.kind === SCHEDULE_TRIGGER_KIND);
  if (!trigger) return null;
  const parsed = flowScheduleSchema.safeParse(trigger.config ?? {});
  return parsed.success ? parsed.data : null;
}

/** The cron trigger string Inngest runs the schedule by ("TZ=<zone> <fields>", no prefix for UTC). */
export function inngestCronOf(schedule: FlowSchedule): string {
  return cronWithTimezone(schedule.cron, schedule.timezone);
}
