// Server-only: decrypts one credential for a node runner, checking workspace and type.
import { secretBox } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db/client";
import { credentialDataSchemas, type CredentialData, type CredentialType } from "./credential-types";

export class CredentialResolveError extends Error {
  readonly code = "credential_error";
  constructor(message: string) {
    super(message);
    this.name = "CredentialResolveError";
  }
}

export async function resolveCredential<T extends CredentialType>(
  prisma: PrismaClient,
  input: { workspaceId: string; id: string; types: readonly T[] },
): Promise<{ type: T; name: string; data: CredentialData<T> }> {
  const row = await prisma.credential.findFirst({ where: { id: input.id, workspaceId: input.workspaceId } });
  if (!row) throw new CredentialResolveError(`Credential ${input.id} does not exist in this workspace (deleted?). Pick another credential.`);
  if (!(input.types as readonly string[]).includes(row.type)) {
    throw new CredentialResolveError(`Credential "${row.name}" is a ${row.type} credential; this node needs ${input.types.join(" or ")}`);
  }
  const type = row.type as T;
  const data = credentialDataSchemas[type].parse(secretBox().decryptJson(row.dataEncrypted)) as CredentialData<T>;
  return { type, name: row.name, data };
}

// Fields of each credential type that are secret (scrubbed from stored step records and errors).
const SECRET_FIELDS: Record<CredentialType, string[]> = {
  slack_webhook: ["url"],
  discord_webhook: ["url"],
  teams_webhook: ["url"],
  smtp: ["password"],
  http_header: ["value"],
  bearer_token: ["token"],
  basic_auth: ["password"],
  webhook_signing: ["secret"],
  http_webhook: ["url", "headers"],
};

/** The secret strings inside a credential's data, to scrub from stored step records. */
export function secretStringsOf(type: CredentialType, data: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === "string" && value.length >= 4) found.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  const record = (data ?? {}) as Record<string, unknown>;
  for (const field of SECRET_FIELDS[type]) visit(record[field]);
  return found;
}
