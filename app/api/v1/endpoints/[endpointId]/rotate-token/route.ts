// POST /api/v1/endpoints/:endpointId/rotate-token – new URL; the old one answers 410 Gone
import { apiRoute } from "@/lib/api/route";
import { rotateEndpointToken } from "@/lib/webhooks/endpoints/manage-endpoints";

export const POST = apiRoute<{ endpointId: string }>("write", async ({ caller, db, params }) =>
  rotateEndpointToken(db.prisma, caller.workspaceId, params.endpointId),
);
