// One cron function per scheduled flow (`schedule-<flowId>`, trigger { cron: "TZ=<zone> <fields>" }),
// so the embedded engine and real Inngest both keep the schedule. At each time it starts a normal
// run of the flow (lib/schedules/start-scheduled-run.ts), which run-workflow executes.
import type { Inngest } from "inngest";
import { getDatabase } from "@/lib/db";
import type { ScheduledFlow } from "@/lib/schedules/list-scheduled-flows";
import { startScheduledRun } from "@/lib/schedules/start-scheduled-run";

export const SCHEDULED_FLOW_FUNCTION_PREFIX = "schedule-";

export function createScheduledFlowFunction(client: Inngest, flow: ScheduledFlow) {
  return client.createFunction(
    { id: `${SCHEDULED_FLOW_FUNCTION_PREFIX}${flow.flowId}`, name: `Schedule: ${flow.name}`, triggers: [{ cron: flow.cron }], retries: 3 },
    async ({ event, step }) => {
      // Inngest's cron event carries the scheduled time (data.scheduledAt; the SDK's type names only cron).
      const { scheduledAt } = event.data as { scheduledAt?: string };
      const at = scheduledAt ?? new Date(event.ts ?? Date.now()).toISOString();
      return step.run("start-run", async () => startScheduledRun((await getDatabase()).prisma, { flowId: flow.flowId, cron: flow.cron, scheduledAt: at }));
    },
  );
}
