// Alert history: the failure alerts sent (or refused by rate limit, or failed to send) per flow.
import type { PrismaClient } from "@/lib/db/client";

export async function listAlerts(prisma: PrismaClient, workspaceId: string, filter: { flowId?: string; limit?: number } = {}) {
  const rows = await prisma.alertNotification.findMany({
    where: { workspaceId, ...(filter.flowId ? { flowId: filter.flowId } : {}) },
    orderBy: { createdAt: "desc" },
    take: filter.limit ?? 50,
    select: { id: true, flowId: true, runId: true, rule: true, status: true, error: true, createdAt: true, flow: { select: { name: true } } },
  });
  return rows.map(({ flow, ...row }) => ({ ...row, flowName: flow.name }));
}
