// API keys for programmatic access: `Authorization: Bearer sy_…`. A key belongs to one workspace
// and acts with its creator's current role there; only its SHA-256 hash is stored.
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";

const KEY_PREFIX = "sy_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(KEY_PREFIX) && value.length > 20;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  createdBy: string;
}

export async function createApiKey(
  prisma: PrismaClient,
  input: { workspaceId: string; userId: string; name: string; expiresAt?: Date | null },
): Promise<{ key: string; apiKey: ApiKeySummary }> {
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const row = await prisma.apiKey.create({
    data: {
      workspaceId: input.workspaceId,
      userId: input.userId,
      name: input.name,
      prefix: key.slice(0, 10),
      keyHash: hashApiKey(key),
      expiresAt: input.expiresAt ?? null,
    },
    include: { user: { select: { email: true } } },
  });
  return { key, apiKey: toSummary(row) };
}

export async function listApiKeys(prisma: PrismaClient, workspaceId: string): Promise<ApiKeySummary[]> {
  const rows = await prisma.apiKey.findMany({
    where: { workspaceId, revokedAt: null },
    orderBy: { createdAt: "desc" },
    include: { user: { select: { email: true } } },
  });
  return rows.map(toSummary);
}

/** Returns false when no live key with that id exists in the workspace. */
export async function revokeApiKey(prisma: PrismaClient, workspaceId: string, id: string): Promise<boolean> {
  const { count } = await prisma.apiKey.updateMany({
    where: { id, workspaceId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count > 0;
}

/** The workspace, user and role a presented key acts as, or null if it is unknown, revoked or expired. */
export async function findApiKeyCaller(prisma: PrismaClient, key: string) {
  const row = await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(key) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date())) return null;
  const membership = await prisma.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: row.workspaceId, userId: row.userId } },
  });
  if (!membership) return null;
  // Last-used is informational: a write at most once a minute keeps hot keys cheap.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { userId: row.userId, workspaceId: row.workspaceId, role: membership.role };
}

function toSummary(row: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  user: { email: string };
}): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    createdBy: row.user.email,
  };
}
