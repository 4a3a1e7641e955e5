// POST /api/v1/flows/:flowId/pause – stop the flow's triggers from starting runs
import { apiRoute } from "@/lib/api/route";
import { setFlowStatus } from "@/lib/flows/publish-flow";

export const POST = apiRoute<{ flowId: string }>("write", async ({ caller, db, params }) =>
  setFlowStatus(db.prisma, caller.workspaceId, params.flowId, "paused"),
);
