// A flow's schedule: what its schedule trigger's definition says the node's config stands for,
// and the Inngest cron string that runs it.
import { getNodeDefinition, nodeDefinitions } from "@/lib/nodes/definitions";
import { cronWithTimezone } from "./parse-cron";

export interface FlowSchedule {
  /** Five cron fields (minute hour day-of-month month day-of-week), Inngest's syntax. */
  cron: string;
  /** IANA time zone the fields are read in. */
  timezone: string;
}

/** The node kinds a schedule starts (so the database can find their flows without reading every graph). */
export function scheduleTriggerKinds(): string[] {
  return Object.values(nodeDefinitions)
    .filter((definition) => definition.startedBy === "schedule")
    .map((definition) => definition.kind);
}

/** The schedule of a graph's schedule trigger, or null when no schedule starts the flow (or its config does not parse). */
export function scheduleOfGraph(graph: { nodes: { kind: string; config?: unknown }[] }): FlowSchedule | null {
  for (const node of graph.nodes) {
    const definition = getNodeDefinition(node.kind);
    if (!definition?.schedule) continue;
    const parsed = definition.configSchema.safeParse(node.config ?? {});
    return parsed.success ? definition.schedule(parsed.data) : null;
  }
  return null;
}

/** The cron trigger string Inngest runs the schedule by ("TZ=<zone> <fields>", no prefix for UTC). */
export function inngestCronOf(schedule: FlowSchedule): string {
  return cronWithTimezone(schedule.cron, schedule.timezone);
}
