// Server-only: what each node of a flow produced in its latest successful step, among the flow's
// 50 most recent runs (test runs included), for the publish-time check of expression paths.
import type { PrismaClient } from "@/lib/db/client";

const RECENT_RUNS = 50;

export async function lastStepOutputs(prisma: PrismaClient, workspaceId: string, flowId: string): Promise<Map<string, { nodeKind: string; output: unknown }>> {
  // Truncated outputs are previews, not the value; they cannot tell which fields exist.
  const rows = await prisma.$queryRaw<{ nodeId: string; nodeKind: string; output: unknown }[]>`
    SELECT DISTINCT ON (s."nodeId") s."nodeId", s."nodeKind", s.output
      FROM "RunStep" s
     WHERE s."runId" IN (SELECT id FROM "Run" WHERE "flowId" = ${flowId} AND "workspaceId" = ${workspaceId} ORDER BY "createdAt" DESC LIMIT ${RECENT_RUNS})
       AND s.status = 'succeeded' AND NOT s.truncated
     ORDER BY s."nodeId", s."finishedAt" DESC NULLS LAST`;
  return new Map(rows.map((row) => [row.nodeId, { nodeKind: row.nodeKind, output: row.output }]));
}
