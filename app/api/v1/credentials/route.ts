// GET /api/v1/credentials – list credentials (names and types, never secrets) · POST – create one
import { apiRoute, created, readJson, readQuery } from "@/lib/api/route";
import { createCredential, listCredentials, type CredentialType } from "@/lib/credentials";
import { createCredentialInput, listCredentialsQuery } from "@/lib/credentials/credential-inputs";

export const GET = apiRoute("read", async ({ req, caller, db }) => {
  const { type } = readQuery(req, listCredentialsQuery);
  return { credentials: await listCredentials(db.prisma, caller.workspaceId, type ? { type: type as CredentialType } : {}) };
});

export const POST = apiRoute("write", async ({ req, caller, db }) => {
  const body = await readJson(req, createCredentialInput);
  return created(await createCredential(db.prisma, { workspaceId: caller.workspaceId, createdById: caller.userId, ...body }));
});
