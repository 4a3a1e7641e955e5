// POST /api/v1/endpoints/:endpointId/disable – refuse requests (still recorded in the delivery log)
import { apiRoute } from "@/lib/api/route";
import { setEndpointEnabled } from "@/lib/webhooks/endpoints/manage-endpoints";

export const POST = apiRoute<{ endpointId: string }>("write", async ({ caller, db, params }) =>
  setEndpointEnabled(db.prisma, caller.workspaceId, params.endpointId, false),
);
