// Duplicates a flow's draft (name, description, graph) into a new draft flow of the same workspace.
import type { PrismaClient } from "@/lib/db/client";
import { createFlow, getFlow, type FlowDetail } from "./manage-flows";

export async function duplicateFlow(prisma: PrismaClient, workspaceId: string, userId: string, flowId: string): Promise<FlowDetail> {
  const source = await getFlow(prisma, workspaceId, flowId);
  const name = `${source.name} (copy)`.slice(0, 120);
  // The copy's trigger nodes get endpoints of their own: a duplicate never shares a webhook URL.
  return createFlow(prisma, workspaceId, userId, { name, description: source.description, graph: source.graph });
}
