// Server-only: the flows a schedule starts — active, published, their published version's trigger
// a schedule. Each becomes one Inngest cron function (inngest/functions/scheduled-flow.ts).
import type { Database } from "@/lib/db/client";
import { inngestCronOf, scheduleOfGraph, scheduleTriggerKinds } from "./flow-schedule";

export interface ScheduledFlow {
  flowId: string;
  name: string;
  /** The Inngest cron string ("TZ=<zone> <fields>"). */
  cron: string;
}

export async function listScheduledFlows(db: Database, log: (message: string) => void = console.error): Promise<ScheduledFlow[]> {
  // Containment tests find the versions with a schedule trigger through the JSON, not by loading every graph.
  const rows = await db.query<{ id: string; name: string; graph: { nodes: { kind: string; config?: unknown }[] } }>(
    `SELECT f.id, f.name, v.graph FROM "Flow" f JOIN "FlowVersion" v ON v.id = f."activeVersionId"
     WHERE f.status = 'active' AND v.graph->'nodes' @> ANY (SELECT jsonb_build_array(jsonb_build_object('kind', k)) FROM unnest($1::text[]) AS k)
     ORDER BY f.id`,
    [scheduleTriggerKinds()],
  );
  const flows: ScheduledFlow[] = [];
  for (const row of rows) {
    const schedule = scheduleOfGraph(row.graph);
    // Publishing refuses such a config; a version stored before a rule existed must not stop the other schedules.
    if (!schedule) log(`[schedules] flow ${row.id} is not scheduled: the settings of its schedule trigger are invalid; publish it again`);
    else flows.push({ flowId: row.id, name: row.name, cron: inngestCronOf(schedule) });
  }
  return flows;
}
