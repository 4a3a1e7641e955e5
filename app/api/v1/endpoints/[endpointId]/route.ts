// GET/PATCH /api/v1/endpoints/:endpointId – read or change an endpoint's settings (a newly needed secret is shown once)
import { apiRoute, readJson } from "@/lib/api/route";
import { getEndpoint, updateEndpointInput, updateEndpointSettings } from "@/lib/webhooks/endpoints/manage-endpoints";

type Params = { endpointId: string };

export const GET = apiRoute<Params>("read", async ({ caller, db, params }) => getEndpoint(db.prisma, caller.workspaceId, params.endpointId));

export const PATCH = apiRoute<Params>("write", async ({ req, caller, db, params }) =>
  updateEndpointSettings(db.prisma, caller.workspaceId, params.endpointId, await readJson(req, updateEndpointInput)),
);
