// Server-only: the flows a schedule starts — active, published, their published version's trigger
// a schedule. Each becomes one Inngest cron function (inngest/functions/scheduled-flow.ts).
import type { Database } from "@/lib/db/client";
import { SCHEDULE_TRIGGER_KIND, inngestCronOf, scheduleOfGraph } from "./flow-schedule";
import { parseCron } from "./parse-cron";

export interface ScheduledFlow {
  flowId: string;
  name: string;
  /** The Inngest cron string ("TZ=<zone> <fields>"). */
  cron: string;
}

export async function listScheduledFlows(db: Database, log: (message: string) => void = console.error): Promise<ScheduledFlow[]> {
  // The containment test finds the versions with a schedule trigger through the JSON, not by loading every graph.
  const rows = await db.query<{ id: string; name: string; graph: { nodes: { kind: string; config?: unknown }[] } }>(
    `SELECT f.id, f.name, v.graph FROM "Flow" f JOIN "FlowVersion" v ON v.id = f."activeVersionId"
     WHERE f.status = 'active' AND v.graph->'nodes' @> $1::jsonb
     ORDER BY f.id`,
    [JSON.stringify([{ kind: SCHEDULE_TRIGGER_KIND }])],
  );
  const flows: ScheduledFlow[] = [];
  for (const row of rows) {
    const schedule = scheduleOfGraph(row.graph);
    if (!schedule) continue;
    const cron = inngestCronOf(schedule);
    try {
      parseCron(cron); // refused at publish; one bad row must not stop every other schedule from syncing
    } catch (error) {
      log(`[schedules] flow ${row.id} is not scheduled: ${(error as Error).message}`);
      continue;
    }
    flows.push({ flowId: row.id, name: row.name, cron });
  }
  return flows;
}
