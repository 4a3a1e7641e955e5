// GET /api/v1/api-keys – list the workspace's keys · POST – create one (the key is shown only in this answer)
import { z } from "zod";
import { apiRoute, created, readJson } from "@/lib/api/route";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";

const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const GET = apiRoute("manage", async ({ caller, db }) => ({ apiKeys: await listApiKeys(db.prisma, caller.workspaceId) }));

export const POST = apiRoute("manage", async ({ req, caller, db }) => {
  const input = await readJson(req, createApiKeyInput);
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  return created(await createApiKey(db.prisma, { workspaceId: caller.workspaceId, userId: caller.userId, name: input.name, expiresAt }));
});
