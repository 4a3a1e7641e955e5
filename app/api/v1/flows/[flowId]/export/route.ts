// GET /api/v1/flows/:flowId/export – the draft as a portable JSON file (import it with POST /api/v1/flows)
import { apiRoute } from "@/lib/api/route";
import { exportFileName, toFlowExport } from "@/lib/flows/export-flow";
import { getFlow } from "@/lib/flows/manage-flows";

export const GET = apiRoute<{ flowId: string }>("read", async ({ caller, db, params }) => {
  const flow = await getFlow(db.prisma, caller.workspaceId, params.flowId);
  return new Response(JSON.stringify(toFlowExport(flow), null, 2), {
    headers: { "content-type": "application/json", "content-disposition": `attachment; filename="${exportFileName(flow.name)}"` },
  });
});
