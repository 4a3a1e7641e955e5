// Publishing freezes the draft into an immutable FlowVersion that new runs use, and warns about
// expression paths the data seen so far does not have; activating and pausing decide whether the
// flow's triggers start runs at all.
import { AppError, conflict, notFound, unprocessable } from "@/lib/errors";
import type { PrismaClient } from "@/lib/db/client";
import { asJson } from "@/lib/db/json";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { lastStepOutputs } from "@/lib/runs/last-step-outputs";
import { toTriggerPayload } from "@/lib/runs/trigger-payload";
import { schedulesChanged } from "@/lib/schedules/schedules-changed";
import { checkExpressionPaths, type PathSamples } from "./check-expression-paths";
import { checkFlowCalls } from "./check-flow-calls";
import { checkNodesAtPublish } from "./check-nodes-at-publish";
import { parseFlowGraph, type FlowGraph } from "./graph";
import { triggerExampleOf } from "./trigger-example";
import { validateFlow, type FlowIssue } from "./validate-flow";
import { getFlow, type FlowDetail } from "./manage-flows";

export async function publishFlow(
  prisma: PrismaClient,
  workspaceId: string,
  flowId: string,
  userId: string,
  note?: string,
): Promise<{ flow: FlowDetail; version: { id: string; version: number }; warnings: FlowIssue[] }> {
  // The server-side checks (compiling code, the flows it calls) run before the transaction, which must not wait on them;
  // the transaction then publishes only the draft they checked.
  const draft = await prisma.flow.findFirst({ where: { id: flowId, workspaceId }, select: { name: true, draftGraph: true } });
  if (!draft) throw notFound("Flow");
  const checked = JSON.stringify(draft.draftGraph);
  const graph = parseFlowGraph(draft.draftGraph);
  if (graph.nodes.length === 0) throw unprocessable("Add a trigger and at least one step before publishing", { issues: [] });
  const issues = validateFlow(graph, { forPublish: true });
  throwIfIssues(issues.length ? issues : [...(await checkNodesAtPublish(graph)), ...(await checkFlowCalls(prisma, workspaceId, { id: flowId, name: draft.name }, graph))]);
  const { version, samplePayload } = await prisma.$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({ where: { id: flowId, workspaceId }, select: { id: true, draftGraph: true, samplePayload: true } });
    if (!flow) throw notFound("Flow");
    if (JSON.stringify(flow.draftGraph) !== checked) throw conflict("The draft changed while it was being checked; publish again");
    // Test-run snapshots of the draft carry negative numbers and are not published versions.
    const last = await tx.flowVersion.findFirst({ where: { flowId, isTestSnapshot: false }, orderBy: { version: "desc" }, select: { version: true } });
    const created = await tx.flowVersion.create({
      data: { flowId, workspaceId, version: (last?.version ?? 0) + 1, graph: asJson(graph), note, publishedById: userId },
      select: { id: true, version: true },
    });
    await tx.flow.update({ where: { id: flowId }, data: { activeVersionId: created.id } });
    return { version: created, samplePayload: flow.samplePayload };
  });
  schedulesChanged();
  const warnings = checkExpressionPaths(graph, await pathSamples(prisma, workspaceId, flowId, graph, samplePayload));
  return { flow: await getFlow(prisma, workspaceId, flowId), version, warnings };
}

function throwIfIssues(issues: FlowIssue[]) {
  if (issues.length) {
    throw unprocessable(`The flow has ${issues.length} problem${issues.length > 1 ? "s" : ""} to fix before publishing: ${issues[0].message}`, { issues });
  }
}

/** The trigger's sample payload (or its last run's request) and every step's last output, of the nodes still of the same kind. */
async function pathSamples(prisma: PrismaClient, workspaceId: string, flowId: string, graph: FlowGraph, samplePayload: unknown): Promise<PathSamples> {
  const outputs = await lastStepOutputs(prisma, workspaceId, flowId);
  const steps: Record<string, unknown> = {};
  let lastTrigger: unknown;
  for (const node of graph.nodes) {
    const last = outputs.get(node.id);
    if (!last || last.nodeKind !== node.kind) continue;
    if (getNodeDefinition(node.kind)?.isTrigger) lastTrigger ??= last.output;
    else steps[node.id] = last.output;
  }
  const example = triggerExampleOf(graph);
  const trigger = samplePayload !== null && samplePayload !== undefined ? toTriggerPayload(samplePayload) : (lastTrigger ?? (example !== undefined ? toTriggerPayload(example) : undefined));
  return { trigger, steps };
}

export async function setFlowStatus(
  prisma: PrismaClient,
  workspaceId: string,
  flowId: string,
  status: "active" | "paused",
): Promise<FlowDetail> {
  const flow = await prisma.flow.findFirst({ where: { id: flowId, workspaceId }, select: { activeVersionId: true } });
  if (!flow) throw notFound("Flow");
  if (status === "active" && !flow.activeVersionId) {
    throw new AppError("not_published", "Publish the flow before activating it");
  }
  await prisma.flow.update({ where: { id: flowId }, data: { status } });
  schedulesChanged();
  return getFlow(prisma, workspaceId, flowId);
}

export async function listFlowVersions(prisma: PrismaClient, workspaceId: string, flowId: string) {
  const exists = await prisma.flow.count({ where: { id: flowId, workspaceId } });
  if (!exists) throw notFound("Flow");
  return prisma.flowVersion.findMany({
    where: { flowId, workspaceId, isTestSnapshot: false },
    orderBy: { version: "desc" },
    select: { id: true, version: true, note: true, publishedAt: true, publishedById: true },
  });
}
