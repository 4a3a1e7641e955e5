import { z } from "zod";
import { notFound, unprocessable } from "@/lib/errors";
import type { PrismaClient } from "@/lib/db/client";
import { Prisma, type Endpoint } from "@/lib/db/generated/client";
import { secretBox } from "@/lib/crypto/secret-box";
import { invalidateEndpointCache } from "../ingress/endpoint-cache";
import { dedupeSchema, endpointSettingsSchema, parseEndpointSettings } from "./endpoint-settings";
import { publicUrl } from "@/lib/config/server-settings";
import { createEndpointToken, createSharedToken, createSigningSecret } from "./endpoint-secrets";
import { isAuthScheme, parseAuthConfig, schemeNeedsSecret, secretValueSchema, type AuthScheme } from "./auth-schemes";
import { rotateSecretInput, updateEndpointInput, type EndpointView } from "./endpoint-input";

export { rotateSecretInput, updateEndpointInput, type EndpointView };

export function endpointUrl(token: string): string {
  return `${publicUrl()}/api/hooks/${token}`;
}

function toView(row: Endpoint): EndpointView {
  const settings = endpointSettingsSchema.safeParse(row.settings ?? {});
  const dedupe = dedupeSchema.safeParse(row.dedupe);
  return {
    id: row.id,
    flowId: row.flowId,
    nodeId: row.nodeId,
    url: endpointUrl(row.token),
    testUrl: `${endpointUrl(row.token)}/test`,
    preset: row.preset,
    authScheme: row.authScheme,
    authConfig: (row.authConfig ?? {}) as Record<string, unknown>,
    hasSecret: !!row.secretEncrypted,
    secretHint: secretHint(row.secretEncrypted),
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    maxBodyBytes: row.maxBodyBytes,
    rateLimitPerMinute: row.rateLimitPerMinute,
    ipAllowlist: row.ipAllowlist,
    dedupe: dedupe.success ? dedupe.data : null,
    responseMode: row.responseMode,
    syncTimeoutMs: row.syncTimeoutMs,
    settings: settings.success ? settings.data : parseEndpointSettings({}),
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    refusalsNotStored: row.refusalsNotStored,
    lastRefusalNotStoredAt: row.lastRefusalNotStoredAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The last 4 characters of a stored secret, so a user can tell which one is set; null when unreadable. */
function secretHint(sealed: string | null): string | null {
  if (!sealed) return null;
  try {
    const secret = secretBox().decrypt(sealed);
    return secret.length >= 12 ? `…${secret.slice(-4)}` : null;
  } catch {
    return null;
  }
}

async function loadEndpoint(prisma: PrismaClient | Prisma.TransactionClient, workspaceId: string, endpointId: string): Promise<Endpoint> {
  const row = await prisma.endpoint.findFirst({ where: { id: endpointId, workspaceId } });
  if (!row) throw notFound("Endpoint");
  return row;
}

export const listEndpointsQuery = z.object({ flowId: z.string().min(1).max(64).optional() }).strict();

export async function listEndpoints(prisma: PrismaClient, workspaceId: string, query: z.infer<typeof listEndpointsQuery> = {}): Promise<EndpointView[]> {
  const rows = await prisma.endpoint.findMany({
    where: { workspaceId, ...(query.flowId ? { flowId: query.flowId } : {}) },
    orderBy: [{ flowId: "asc" }, { createdAt: "asc" }],
  });
  return rows.map(toView);
}

export async function getEndpoint(prisma: PrismaClient, workspaceId: string, endpointId: string): Promise<EndpointView> {
  return toView(await loadEndpoint(prisma, workspaceId, endpointId));
}

/** Gives the endpoint a new URL; the old one answers 410 Gone from now on. */
export async function rotateEndpointToken(prisma: PrismaClient, workspaceId: string, endpointId: string): Promise<EndpointView> {
  const row = await prisma.$transaction(async (tx) => {
    const current = await loadEndpoint(tx, workspaceId, endpointId);
    await tx.endpointRetiredToken.create({ data: { token: current.token, endpointId: current.id } });
    return tx.endpoint.update({ where: { id: current.id }, data: { token: createEndpointToken() } });
  });
  invalidateEndpointCache();
  return toView(row);
}

/**
 * Replaces the signing secret, keeping the previous one valid for the grace period. Answers the
 * new secret once (it is stored encrypted and never shown again).
 */
export async function rotateEndpointSecret(
  prisma: PrismaClient,
  workspaceId: string,
  endpointId: string,
  input: z.input<typeof rotateSecretInput> = {},
): Promise<{ endpoint: EndpointView; secret: string; previousSecretValidUntil: Date | null }> {
  const parsed = rotateSecretInput.parse(input);
  const current = await loadEndpoint(prisma, workspaceId, endpointId);
  const scheme = isAuthScheme(current.authScheme) ? current.authScheme : "none";
  const change = replaceSecret(current, scheme, parsed, true);
  const row = await prisma.endpoint.update({ where: { id: current.id }, data: change.data });
  invalidateEndpointCache();
  return { endpoint: toView(row), secret: change.secret, previousSecretValidUntil: change.validUntil };
}

/**
 * The columns that replace an endpoint's secret with a given (validated for the scheme) or
 * generated one; the current secret stays valid for graceHours when `keepPrevious`.
 */
function replaceSecret(current: Endpoint, scheme: AuthScheme, { graceHours, secret: given }: z.output<typeof rotateSecretInput>, keepPrevious: boolean) {
  if (given !== undefined) {
    const checked = secretValueSchema(scheme).safeParse(given);
    if (!checked.success) throw unprocessable(`newSecret: ${checked.error.issues[0]!.message}`);
  }
  const secret = given ?? generateSecretFor(scheme);
  const validUntil = keepPrevious && current.secretEncrypted && graceHours > 0 ? new Date(Date.now() + graceHours * 3_600_000) : null;
  return {
    secret,
    validUntil,
    data: {
      secretEncrypted: secretBox().encrypt(secret),
      previousSecretEncrypted: validUntil ? current.secretEncrypted : null,
      previousSecretExpiresAt: validUntil,
    },
  };
}

export async function setEndpointEnabled(prisma: PrismaClient, workspaceId: string, endpointId: string, enabled: boolean): Promise<EndpointView> {
  const current = await loadEndpoint(prisma, workspaceId, endpointId);
  if (enabled && current.disabledReason === "node_removed") {
    throw unprocessable("This endpoint's trigger node was removed from the flow; add the trigger back to use it again.");
  }
  const row = await prisma.endpoint.update({ where: { id: current.id }, data: { enabled, disabledReason: enabled ? null : "user" } });
  invalidateEndpointCache();
  return toView(row);
}

/**
 * Changes an endpoint's settings (validated). Switching to a scheme that needs a secret when
 * none is set generates one and answers it once.
 */
export async function updateEndpointSettings(
  prisma: PrismaClient,
  workspaceId: string,
  endpointId: string,
  input: z.input<typeof updateEndpointInput>,
): Promise<{ endpoint: EndpointView; secret?: string }> {
  const patch = updateEndpointInput.parse(input);
  const current = await loadEndpoint(prisma, workspaceId, endpointId);
  const scheme: AuthScheme = patch.authScheme ?? (isAuthScheme(current.authScheme) ? current.authScheme : "none");
  const schemeChanged = scheme !== current.authScheme;
  // Settings of the old scheme do not carry over to a new one.
  const authConfig = parseAuthConfig(scheme, patch.authConfig ?? (schemeChanged ? {} : current.authConfig));
  const settings = patch.settings ? mergeSettings(current.settings, patch.settings) : undefined;
  // A secret of another scheme is not worth keeping through a grace period.
  const replaced = patch.newSecret
    ? replaceSecret(current, scheme, patch.newSecret, !schemeChanged)
    : schemeNeedsSecret(scheme) && !current.secretEncrypted
      ? replaceSecret(current, scheme, { graceHours: 0 }, false)
      : null;
  // A generated secret is answered once; a pasted one the user already has.
  const secret = replaced && patch.newSecret?.secret === undefined ? replaced.secret : undefined;
  const row = await prisma.endpoint.update({
    where: { id: current.id },
    data: {
      authScheme: scheme,
      authConfig: authConfig as Prisma.InputJsonValue,
      ...(replaced ? replaced.data : {}),
      ...(patch.maxBodyBytes !== undefined ? { maxBodyBytes: patch.maxBodyBytes } : {}),
      ...(patch.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: patch.rateLimitPerMinute } : {}),
      ...(patch.ipAllowlist !== undefined ? { ipAllowlist: patch.ipAllowlist } : {}),
      ...(patch.dedupe !== undefined ? { dedupe: patch.dedupe === null ? Prisma.DbNull : patch.dedupe } : {}),
      ...(patch.responseMode !== undefined ? { responseMode: patch.responseMode } : {}),
      ...(patch.syncTimeoutMs !== undefined ? { syncTimeoutMs: patch.syncTimeoutMs } : {}),
      ...(settings ? { settings: settings as unknown as Prisma.InputJsonValue } : {}),
    },
  });
  invalidateEndpointCache();
  return { endpoint: toView(row), ...(secret ? { secret } : {}) };
}

function generateSecretFor(scheme: AuthScheme): string {
  // Standard Webhooks needs the whsec_<base64> form; the others take any high-entropy string.
  return scheme === "standard_webhooks" || scheme === "stripe" ? createSigningSecret() : createSharedToken();
}

function mergeSettings(current: unknown, patch: Record<string, unknown>) {
  const result = endpointSettingsSchema.safeParse({ ...parseEndpointSettings(current), ...patch });
  if (!result.success) {
    throw unprocessable(result.error.issues.map((i) => `settings.${i.path.join(".")}: ${i.message}`).join("; "));
  }
  return result.data;
}
