// Create, list, update and delete a workspace's credentials. Secrets are encrypted at rest
// (secretBox) and no function here returns them: lists show names and types only.
import { z } from "zod";
import { secretBox } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/db/client";
import { credentialTypes, isCredentialType, type CredentialType } from "./credential-types";

export interface CredentialSummary {
  id: string;
  name: string;
  type: CredentialType;
  createdAt: Date;
  updatedAt: Date;
}

export class CredentialInputError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = "CredentialInputError";
  }
}

const SUMMARY_SELECT = { id: true, name: true, type: true, createdAt: true, updatedAt: true } as const;

function parseData(type: string, data: unknown) {
  if (!isCredentialType(type)) throw new CredentialInputError(`Unknown credential type "${type}"`, "type");
  const result = credentialTypes[type].schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CredentialInputError(`Invalid ${type} credential: ${issue.path.join(".") || "data"}: ${issue.message}`, issue.path.join("."));
  }
  return result.data;
}

const nameSchema = z.string().trim().min(1, "Credential name is required").max(100, "Credential name is too long (100 characters max)");

export async function createCredential(
  prisma: PrismaClient,
  input: { workspaceId: string; name: string; type: string; data: unknown; createdById?: string | null },
): Promise<CredentialSummary> {
  const name = nameSchema.parse(input.name);
  const data = parseData(input.type, input.data);
  const existing = await prisma.credential.findFirst({ where: { workspaceId: input.workspaceId, name }, select: { id: true } });
  if (existing) throw new CredentialInputError(`A credential named "${name}" already exists in this workspace`, "name");
  const row = await prisma.credential.create({
    data: { workspaceId: input.workspaceId, name, type: input.type, dataEncrypted: secretBox().encryptJson(data), createdById: input.createdById ?? null },
    select: SUMMARY_SELECT,
  });
  return row as CredentialSummary;
}

export async function listCredentials(prisma: PrismaClient, workspaceId: string, filter: { type?: CredentialType } = {}): Promise<CredentialSummary[]> {
  const rows = await prisma.credential.findMany({
    where: { workspaceId, ...(filter.type ? { type: filter.type } : {}) },
    select: SUMMARY_SELECT,
    orderBy: { name: "asc" },
  });
  return rows as CredentialSummary[];
}

/** Renames and/or replaces the secret data (the whole data object; partial secrets are not merged). */
export async function updateCredential(
  prisma: PrismaClient,
  input: { workspaceId: string; id: string; name?: string; data?: unknown },
): Promise<CredentialSummary> {
  const current = await prisma.credential.findFirst({ where: { id: input.id, workspaceId: input.workspaceId }, select: { type: true } });
  if (!current) throw new CredentialInputError(`Credential ${input.id} not found in this workspace`);
  const update: { name?: string; dataEncrypted?: string } = {};
  if (input.name !== undefined) update.name = nameSchema.parse(input.name);
  if (input.data !== undefined) update.dataEncrypted = secretBox().encryptJson(parseData(current.type, input.data));
  const result = await prisma.credential.updateMany({ where: { id: input.id, workspaceId: input.workspaceId }, data: update });
  if (result.count !== 1) throw new CredentialInputError(`Credential ${input.id} not found in this workspace`);
  return (await prisma.credential.findFirstOrThrow({ where: { id: input.id, workspaceId: input.workspaceId }, select: SUMMARY_SELECT })) as CredentialSummary;
}

export async function deleteCredential(prisma: PrismaClient, input: { workspaceId: string; id: string }): Promise<boolean> {
  const result = await prisma.credential.deleteMany({ where: { id: input.id, workspaceId: input.workspaceId } });
  return result.count === 1;
}
