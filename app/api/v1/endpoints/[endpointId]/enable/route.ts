// POST /api/v1/endpoints/:endpointId/enable – accept requests again
import { apiRoute } from "@/lib/api/route";
import { setEndpointEnabled } from "@/lib/webhooks/endpoints/manage-endpoints";

export const POST = apiRoute<{ endpointId: string }>("write", async ({ caller, db, params }) =>
  setEndpointEnabled(db.prisma, caller.workspaceId, params.endpointId, true),
);
