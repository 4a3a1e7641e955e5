import { z } from "zod";
import { notFound, unprocessable } from "@/lib/api/errors";
import type { PrismaClient } from "@/lib/db/client";
import { Prisma, type Endpoint } from "@/lib/db/generated/client";
import { secretBox } from "@/lib/crypto/secret-box";
import { parseCidrList } from "./client-ip";
import { invalidateEndpointCache } from "./endpoint-cache";
import { dedupeSchema, endpointSettingsSchema, parseEndpointSettings } from "./endpoint-settings";
import { publicUrl } from "@/lib/config/server-settings";
import { createEndpointToken, createSharedToken, createSigningSecret } from "./ids";
import { AUTH_SCHEMES, isAuthScheme, parseAuthConfig, schemeNeedsSecret, type AuthScheme } from "./verify-auth";
import { MAX_BODY_BYTES_LIMIT } from "./limits";

/** What the API and UI see of an endpoint: never its secrets, only whether one is set. */
export interface EndpointView {
  id: string;
  flowId: string;
  nodeId: string;
  url: string;
  preset: Endpoint["preset"];
  authScheme: string;
  authConfig: unknown;
  hasSecret: boolean;
  previousSecretExpiresAt: Date | null;
  maxBodyBytes: number;
  rateLimitPerMinute: number | null;
  ipAllowlist: string[];
  dedupe: unknown;
  responseMode: Endpoint["responseMode"];
  syncTimeoutMs: number;
  settings: unknown;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}


export function endpointUrl(token: string): string {
  return `${publicUrl()}/api/hooks/${token}`;
}

function toView(row: Endpoint): EndpointView {
  return {
    id: row.id,
    flowId: row.flowId,
    nodeId: row.nodeId,
    url: endpointUrl(row.token),
    preset: row.preset,
    authScheme: row.authScheme,
    authConfig: row.authConfig,
    hasSecret: !!row.secretEncrypted,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    maxBodyBytes: row.maxBodyBytes,
    rateLimitPerMinute: row.rateLimitPerMinute,
    ipAllowlist: row.ipAllowlist,
    dedupe: row.dedupe,
    responseMode: row.responseMode,
    syncTimeoutMs: row.syncTimeoutMs,
    settings: row.settings,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
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

export const rotateSecretInput = z
  .object({
    /** Keep accepting the old secret this long, so senders can switch over. 0 = revoke at once. */
    graceHours: z.number().min(0).max(24 * 30).default(24),
    /** A secret issued by the sender (Stripe's whsec_…, Shopify's app secret); omitted = generate one. */
    secret: z.string().min(8, "Secrets must be at least 8 characters").max(500).optional(),
  })
  .strict();

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
  const { graceHours, secret: given } = rotateSecretInput.parse(input);
  const current = await loadEndpoint(prisma, workspaceId, endpointId);
  const scheme = isAuthScheme(current.authScheme) ? current.authScheme : "none";
  const secret = given ?? generateSecretFor(scheme);
  const validUntil = current.secretEncrypted && graceHours > 0 ? new Date(Date.now() + graceHours * 3_600_000) : null;
  const row = await prisma.endpoint.update({
    where: { id: current.id },
    data: {
      secretEncrypted: secretBox().encrypt(secret),
      previousSecretEncrypted: validUntil ? current.secretEncrypted : null,
      previousSecretExpiresAt: validUntil,
    },
  });
  invalidateEndpointCache();
  return { endpoint: toView(row), secret, previousSecretValidUntil: validUntil };
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

export const updateEndpointInput = z
  .object({
    authScheme: z.enum(AUTH_SCHEMES).optional(),
    authConfig: z.record(z.string(), z.unknown()).optional(),
    maxBodyBytes: z.number().int().min(1024).max(MAX_BODY_BYTES_LIMIT).optional(),
    rateLimitPerMinute: z.number().int().min(1).max(1_000_000).nullable().optional(),
    ipAllowlist: z.array(z.string().trim().min(1).max(64)).max(100).optional(),
    dedupe: dedupeSchema.nullable().optional(),
    responseMode: z.enum(["async", "sync"]).optional(),
    syncTimeoutMs: z.number().int().min(100).max(30_000).optional(),
    /** Merged into the current settings (give a key to change it), then validated as a whole. */
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

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
  if (patch.ipAllowlist) {
    try {
      parseCidrList(patch.ipAllowlist);
    } catch (error) {
      throw unprocessable(`ipAllowlist: ${(error as Error).message}`);
    }
  }
  const settings = patch.settings ? mergeSettings(current.settings, patch.settings) : undefined;
  if (settings) {
    try {
      parseCidrList(settings.trustedProxies);
    } catch (error) {
      throw unprocessable(`settings.trustedProxies: ${(error as Error).message}`);
    }
  }
  const secret = schemeNeedsSecret(scheme) && !current.secretEncrypted ? generateSecretFor(scheme) : undefined;
  const row = await prisma.endpoint.update({
    where: { id: current.id },
    data: {
      authScheme: scheme,
      authConfig: authConfig as Prisma.InputJsonValue,
      ...(secret ? { secretEncrypted: secretBox().encrypt(secret) } : {}),
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
