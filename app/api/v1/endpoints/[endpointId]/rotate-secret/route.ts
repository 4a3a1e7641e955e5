// POST /api/v1/endpoints/:endpointId/rotate-secret – new (or given) signing secret, shown once; the old one stays valid for graceHours
import { apiRoute, readJson } from "@/lib/api/route";
import { rotateEndpointSecret, rotateSecretInput } from "@/lib/webhooks/endpoints/manage-endpoints";

export const POST = apiRoute<{ endpointId: string }>("write", async ({ req, caller, db, params }) =>
  rotateEndpointSecret(db.prisma, caller.workspaceId, params.endpointId, await readJson(req, rotateSecretInput)),
);
