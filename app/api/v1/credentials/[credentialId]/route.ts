// PATCH /api/v1/credentials/:credentialId – rename or replace the secret · DELETE – remove it
import { notFound } from "@/lib/errors";
import { apiRoute, readJson } from "@/lib/api/route";
import { deleteCredential, updateCredential } from "@/lib/credentials";
import { updateCredentialInput } from "@/lib/credentials/credential-inputs";

type Params = { credentialId: string };

export const PATCH = apiRoute<Params>("write", async ({ req, caller, db, params }) =>
  updateCredential(db.prisma, { workspaceId: caller.workspaceId, id: params.credentialId, ...(await readJson(req, updateCredentialInput)) }),
);

export const DELETE = apiRoute<Params>("write", async ({ caller, db, params }) => {
  if (!(await deleteCredential(db.prisma, { workspaceId: caller.workspaceId, id: params.credentialId }))) throw notFound("Credential");
});
