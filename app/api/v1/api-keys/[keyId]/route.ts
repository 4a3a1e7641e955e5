// DELETE /api/v1/api-keys/:keyId – revoke a key
import { notFound } from "@/lib/errors";
import { apiRoute } from "@/lib/api/route";
import { revokeApiKey } from "@/lib/auth/api-keys";

export const DELETE = apiRoute<{ keyId: string }>("manage", async ({ caller, db, params }) => {
  if (!(await revokeApiKey(db.prisma, caller.workspaceId, params.keyId))) throw notFound("API key");
});
