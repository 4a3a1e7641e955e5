// POST /api/v1/flows/:flowId/activate – let the flow's triggers start runs
import { apiRoute } from "@/lib/api/route";
import { setFlowStatus } from "@/lib/flows/publish-flow";

export const POST = apiRoute<{ flowId: string }>("write", async ({ caller, db, params }) =>
  setFlowStatus(db.prisma, caller.workspaceId, params.flowId, "active"),
);
