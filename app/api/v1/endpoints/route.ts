// GET /api/v1/endpoints – list the workspace's webhook endpoints (?flowId=)
import { apiRoute, readQuery } from "@/lib/api/route";
import { listEndpoints, listEndpointsQuery } from "@/lib/webhooks/endpoints/manage-endpoints";

export const GET = apiRoute("read", async ({ req, caller, db }) => ({
  endpoints: await listEndpoints(db.prisma, caller.workspaceId, readQuery(req, listEndpointsQuery)),
}));
