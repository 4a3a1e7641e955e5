// Server-only: decrypts one credential for a node runner, checking workspace and type.
import { secretBox } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db/client";
import { credentialTypes, type CredentialData, type CredentialType } from "./credential-types";
import { base64Forms, orderForScrubbing, secretForms } from "./secret-forms";

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
  const data = credentialTypes[type].schema.parse(secretBox().decryptJson(row.dataEncrypted)) as CredentialData<T>;
  return { type, name: row.name, data };
}

/**
 * The secret strings inside a credential's data, in every form a request or response can carry
 * them (secretForms), to scrub from stored step records; longest first.
 */
export function secretStringsOf(type: CredentialType, data: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === "string") found.push(...secretForms(value));
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  const record = (data ?? {}) as Record<string, unknown>;
  for (const field of credentialTypes[type].secretFields) visit(record[field]);
  // Sent together with the user name: HTTP Basic base64(user:pass), URL user info, SMTP AUTH PLAIN base64(\0user\0pass).
  if ((type === "basic_auth" || type === "smtp") && typeof record.password === "string" && record.password) {
    const user = String(record.username ?? record.user ?? "");
    const pair = `${user}:${record.password}`;
    found.push(pair, ...base64Forms(pair), `${encodeURIComponent(user)}:${encodeURIComponent(record.password)}`, ...base64Forms(`\0${user}\0${record.password}`));
  }
  // A Standard Webhooks secret is whsec_ + the base64 key that libraries print on their own.
  if (type === "webhook_signing" && typeof record.secret === "string" && record.secret.startsWith("whsec_")) found.push(...secretForms(record.secret.slice(6)));
  return orderForScrubbing(found);
}

/**
 * The secret strings of the workspace's credentials among `ids` (as secretStringsOf), for a record
 * that carries other steps' outputs (a loop's item results). Ids of other workspaces, deleted
 * credentials and data that no longer parses add nothing.
 */
export async function secretStringsOfCredentials(prisma: PrismaClient, workspaceId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.credential.findMany({ where: { workspaceId, id: { in: ids } } });
  const found: string[] = [];
  for (const row of rows) {
    const type = row.type as CredentialType;
    const parsed = credentialTypes[type]?.schema.safeParse(secretBox().decryptJson(row.dataEncrypted));
    if (parsed?.success) found.push(...secretStringsOf(type, parsed.data));
  }
  return orderForScrubbing(found);
}
