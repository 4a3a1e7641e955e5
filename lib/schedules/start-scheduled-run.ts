// Server-only: what a flow's cron function does at each time — start a normal Run of the flow's
// published version (run-workflow executes it, the run log shows it), with the trigger payload
// { scheduledAt, cron, timezone }. Like Inngest's own check before a cron fires, the flow is read
// again first: a paused flow, or one whose published schedule changed, starts nothing.
import type { PrismaClient } from "@/lib/db/client";
import { startRun, type StartedRun } from "@/lib/runs/start-run";
import { inngestCronOf, scheduleOfGraph } from "./flow-schedule";

export type ScheduledRunOutcome = ({ started: true } & StartedRun) | { started: false; reason: string };

export async function startScheduledRun(
  prisma: PrismaClient,
  input: { flowId: string; cron: string; scheduledAt: string },
): Promise<ScheduledRunOutcome> {
  const flow = await prisma.flow.findUnique({
    where: { id: input.flowId },
    select: { workspaceId: true, status: true, activeVersion: { select: { graph: true } } },
  });
  if (!flow) return { started: false, reason: "the flow was deleted" };
  if (flow.status !== "active" || !flow.activeVersion) return { started: false, reason: `the flow is ${flow.status}` };
  const schedule = scheduleOfGraph(flow.activeVersion.graph as { nodes: { kind: string; config?: unknown }[] });
  if (!schedule || inngestCronOf(schedule) !== input.cron) return { started: false, reason: "the published version has another schedule now" };
  const scheduledFor = new Date(input.scheduledAt);
  const run = await startRun(prisma, {
    workspaceId: flow.workspaceId,
    flowId: input.flowId,
    source: { type: "version" },
    trigger: {
      body: { scheduledAt: scheduledFor.toISOString(), cron: schedule.cron, timezone: schedule.timezone },
      headers: {},
      query: {},
      method: "SCHEDULE",
      receivedAt: scheduledFor.toISOString(),
    },
    scheduledFor,
  });
  return { started: true, ...run };
}
