// GET /api/v1/flows/:flowId/versions – published versions, newest first
import { apiRoute } from "@/lib/api/route";
import { listFlowVersions } from "@/lib/flows/publish-flow";

export const GET = apiRoute<{ flowId: string }>("read", async ({ caller, db, params }) => ({
  versions: await listFlowVersions(db.prisma, caller.workspaceId, params.flowId),
}));
