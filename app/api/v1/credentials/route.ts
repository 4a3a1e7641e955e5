// GET /api/v1/credentials – list credentials (names and types, never secrets) · POST – create one
import { z } from "zod";
import { apiRoute, created, readJson, readQuery } from "@/lib/api/route";
import { createCredential, listCredentials, CREDENTIAL_TYPES } from "@/lib/credentials";

const createInput = z.object({ name: z.string(), type: z.enum(CREDENTIAL_TYPES as [string, ...string[]]), data: z.unknown() });
const listQuery = z.object({ type: z.enum(CREDENTIAL_TYPES as [string, ...string[]]).optional() });

export const GET = apiRoute("read", async ({ req, caller, db }) => {
  const { type } = readQuery(req, listQuery);
  return { credentials: await listCredentials(db.prisma, caller.workspaceId, type ? { type: type as (typeof CREDENTIAL_TYPES)[number] } : {}) };
});

export const POST = apiRoute("write", async ({ req, caller, db }) => {
  const body = await readJson(req, createInput);
  return created(await createCredential(db.prisma, { workspaceId: caller.workspaceId, createdById: caller.userId, ...body }));
});
