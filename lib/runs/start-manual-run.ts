// Server-only: a manual run — the published version of a flow whose trigger is a manual trigger,
// started from the UI or POST /api/v1/flows/:id/runs with a JSON payload (trigger.body in
// expressions). Goes the way of every other started run (start-run.ts: Run row + outbox event).
import type { PrismaClient } from "@/lib/db/client";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { StartRunError, startRun, type StartedRun } from "./start-run";

export async function startManualRun(prisma: PrismaClient, input: { workspaceId: string; flowId: string; payload: unknown }): Promise<StartedRun> {
  const flow = await prisma.flow.findFirst({
    where: { id: input.flowId, workspaceId: input.workspaceId },
    select: { name: true, activeVersion: { select: { id: true, graph: true } } },
  });
  if (!flow) throw new StartRunError(`Flow ${input.flowId} not found in this workspace`, "not_found");
  if (!flow.activeVersion) throw new StartRunError(`Flow "${flow.name}" is not published: publish it before running it`, "not_published");
  const nodes = (flow.activeVersion.graph as { nodes?: { kind?: string }[] }).nodes ?? [];
  if (!nodes.some((node) => getNodeDefinition(node.kind ?? "")?.startedBy === "manual")) {
    throw new StartRunError(
      `Flow "${flow.name}" has no manual trigger in its published version: its runs start from its own trigger. Use a Manual trigger to run it by hand, or ?source=draft for a test run`,
      "no_manual_trigger",
    );
  }
  return startRun(prisma, {
    workspaceId: input.workspaceId,
    flowId: input.flowId,
    source: { type: "version", flowVersionId: flow.activeVersion.id },
    trigger: { body: input.payload ?? {}, headers: {}, query: {}, method: "POST", receivedAt: new Date().toISOString() },
  });
}
