import { z } from "zod";
import type { Database } from "@/lib/db";
import type { EndpointPreset, ResponseMode } from "@/lib/db/generated/client";
import { secretBox } from "@/lib/crypto/secret-box";
import { processSingleton } from "@/lib/process-singletons";
import { parseCidrList, type CidrRange } from "./client-ip";
import { parseDedupe, parseEndpointSettings, type DedupeConfig, type EndpointSettings } from "../endpoints/endpoint-settings";
import { isAuthScheme, parseAuthConfig, type AuthConfig, type AuthScheme } from "./verify-auth";

/** Everything the fast path needs about one endpoint, with its secrets decrypted and settings parsed. */
export interface ResolvedEndpoint {
  kind: "endpoint";
  id: string;
  workspaceId: string;
  flowId: string;
  nodeId: string;
  preset: EndpointPreset;
  enabled: boolean;
  flowStatus: string;
  activeVersionId: string | null;
  authScheme: AuthScheme;
  authConfig: AuthConfig;
  secret: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  maxBodyBytes: number;
  rateLimitPerMinute: number | null;
  ipAllowlist: string[];
  /** ipAllowlist and settings.trustedProxies, parsed once per load. */
  allowedRanges: CidrRange[];
  trustedProxyRanges: CidrRange[];
  dedupe: DedupeConfig | null;
  responseMode: ResponseMode;
  syncTimeoutMs: number;
  settings: EndpointSettings;
  /** Set when the stored configuration does not parse: every request is refused with this message. */
  configError: string | null;
}

export interface RetiredToken {
  kind: "retired";
  endpointId: string;
  workspaceId: string;
}

export type TokenLookup = ResolvedEndpoint | RetiredToken | null;

// Lookups are cached briefly so a burst of webhooks costs one query, not one per request.
// Changes made through lib/webhooks call invalidateEndpointCache(); anything else (pausing a
// flow from another process) is seen within about CACHE_TTL_MS (at most CACHE_TTL_MS + STALE_MS).
const CACHE_TTL_MS = 1000;
// An expired entry still answers for this long while ONE reload runs in the background, so no request
// waits for the reload (docs/PERFORMANCE.md).
const STALE_MS = 1000;
const MAX_ENTRIES = 10_000;

interface CacheState {
  generation: number;
}
// One per process: an endpoint changed through a Next route must invalidate the cache server.ts reads.
const state = processSingleton<CacheState>("endpointCacheState", () => ({ generation: 0 }));

/** Makes the next lookup of every token read the database again. */
export function invalidateEndpointCache(): void {
  state.generation++;
}

interface Cached {
  value: TokenLookup;
  expiresAt: number;
  generation: number;
}
interface TokenCache {
  entries: Map<string, Cached>;
  /** Queries in flight, by generation and token. */
  loading: Map<string, Promise<TokenLookup>>;
}
const caches = new WeakMap<Database, TokenCache>();

export async function lookupToken(db: Database, token: string): Promise<TokenLookup> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { entries: new Map(), loading: new Map() }));
  const now = Date.now();
  const hit = cache.entries.get(token);
  if (hit && hit.generation === state.generation) {
    if (hit.expiresAt > now) return hit.value;
    if (hit.expiresAt + STALE_MS > now) {
      // A failed reload is not this request's concern: the entry expires and the next one waits.
      load(db, cache, token).catch(() => {});
      return hit.value;
    }
  }
  return load(db, cache, token);
}

/** Reads a token, sharing one query among concurrent callers; caches what may be cached. */
function load(db: Database, cache: TokenCache, token: string) {
  const generation = state.generation;
  // Keyed by generation too: a query that started before an invalidation must not answer after it.
  const key = `${generation}\n${token}`;
  let pending = cache.loading.get(key);
  if (pending) return pending;
  pending = loadToken(db, token)
    .then((value) => {
      // A refusing endpoint (disabled, flow not active) is read again on every request, so enabling
      // or activating takes effect at once even when done by another process or module copy.
      if (value?.kind === "endpoint" && (!value.enabled || value.flowStatus !== "active" || !value.activeVersionId)) {
        cache.entries.delete(token);
      } else if (generation === state.generation) {
        if (cache.entries.size >= MAX_ENTRIES) cache.entries.clear();
        cache.entries.set(token, { value, expiresAt: Date.now() + CACHE_TTL_MS, generation });
      }
      return value;
    })
    .finally(() => cache.loading.delete(key));
  cache.loading.set(key, pending);
  return pending;
}

async function loadToken(db: Database, token: string): Promise<TokenLookup> {
  const row = await db.prisma.endpoint.findUnique({
    where: { token },
    include: { flow: { select: { status: true, activeVersionId: true } } },
  });
  if (!row) {
    const retired = await db.prisma.endpointRetiredToken.findUnique({
      where: { token },
      select: { endpoint: { select: { id: true, workspaceId: true } } },
    });
    return retired ? { kind: "retired", endpointId: retired.endpoint.id, workspaceId: retired.endpoint.workspaceId } : null;
  }
  const base = {
    kind: "endpoint" as const,
    id: row.id,
    workspaceId: row.workspaceId,
    flowId: row.flowId,
    nodeId: row.nodeId,
    preset: row.preset,
    enabled: row.enabled,
    flowStatus: row.flow.status,
    activeVersionId: row.flow.activeVersionId,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    maxBodyBytes: row.maxBodyBytes,
    rateLimitPerMinute: row.rateLimitPerMinute,
    ipAllowlist: row.ipAllowlist,
    responseMode: row.responseMode,
    syncTimeoutMs: row.syncTimeoutMs,
  };
  try {
    if (!isAuthScheme(row.authScheme)) throw new Error(`unknown auth scheme "${row.authScheme}"`);
    const settings = parseEndpointSettings(row.settings);
    return {
      ...base,
      allowedRanges: parseCidrList(row.ipAllowlist),
      trustedProxyRanges: parseCidrList(settings.trustedProxies),
      authScheme: row.authScheme,
      authConfig: parseAuthConfig(row.authScheme, row.authConfig),
      secret: row.secretEncrypted ? secretBox().decrypt(row.secretEncrypted) : null,
      previousSecret: row.previousSecretEncrypted ? secretBox().decrypt(row.previousSecretEncrypted) : null,
      dedupe: parseDedupe(row.dedupe),
      settings,
      configError: null,
    };
  } catch (error) {
    // A broken stored configuration refuses requests (never accepts them unchecked).
    return {
      ...base,
      authScheme: "none",
      authConfig: {},
      secret: null,
      previousSecret: null,
      allowedRanges: [],
      trustedProxyRanges: [],
      dedupe: null,
      settings: parseEndpointSettings({}),
      configError: `The endpoint's stored configuration is invalid: ${error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message}`,
    };
  }
}

/** The secrets a request may be signed with now: the current one, and the previous one during its grace period. */
export function activeSecrets(endpoint: ResolvedEndpoint, now = new Date()): string[] {
  const secrets = endpoint.secret ? [endpoint.secret] : [];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(endpoint.previousSecret);
  }
  return secrets;
}
