// "Restore as draft": copies a published version's graph over the draft (conflict-safe like any save).
import { notFound } from "@/lib/errors";
import type { PrismaClient } from "@/lib/db/client";
import { parseFlowGraph } from "./graph";
import { updateFlow, type FlowDetail } from "./manage-flows";

export async function restoreFlowVersion(
  prisma: PrismaClient,
  workspaceId: string,
  flowId: string,
  versionId: string,
  revision: number,
): Promise<FlowDetail> {
  const version = await prisma.flowVersion.findFirst({ where: { id: versionId, flowId, workspaceId, isTestSnapshot: false }, select: { graph: true } });
  if (!version) throw notFound("Flow version");
  return updateFlow(prisma, workspaceId, flowId, { graph: parseFlowGraph(version.graph), revision });
}
