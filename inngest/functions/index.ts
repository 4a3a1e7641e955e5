// Every Inngest function the app serves at /api/inngest: run-workflow, and one cron function per
// scheduled flow (read from the database, so the list changes when flows are published or
// paused). The embedded engine learns them from the serve endpoint, never from a second list.
import type { Inngest, InngestFunction } from "inngest";
import type { Database } from "@/lib/db/client";
import { listScheduledFlows } from "@/lib/schedules/list-scheduled-flows";
import { runWorkflow } from "./run-workflow";
import { createScheduledFlowFunction } from "./scheduled-flow";

export const functions: InngestFunction.Any[] = [runWorkflow];

/** The app's functions now: the fixed ones and one per scheduled flow. */
export async function currentFunctions(client: Inngest, db: Database): Promise<InngestFunction.Any[]> {
  const scheduled = await listScheduledFlows(db);
  return [...functions, ...scheduled.map((flow) => createScheduledFlowFunction(client, flow))];
}
