// POST /api/hooks/:token – receive a webhook (the fast path: plain node:http, not the Next router).
import type { IncomingMessage, ServerResponse } from "node:http";
import { httpTimeouts } from "@/lib/config/http-timeouts";
import { webhookSecurityHeaders } from "@/lib/config/security-headers";
import { publicUrl as publicBaseUrl, requestTimeoutMs } from "@/lib/config/server-settings";
import { constantTimeEqual } from "@/lib/crypto/constant-time";
import { getDatabase, type Database } from "@/lib/db";
import { createRowId } from "@/lib/db/ids";
import { readBody } from "@/lib/net/read-body";
import { kickOutboxRelay } from "@/lib/outbox/kick";
import { waitForSyncResponse } from "@/lib/runs/get-sync-response";
import { isListening, publishDelivery } from "../deliveries/delivery-feed";
import { DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES_LIMIT } from "../endpoints/limits";
import { parseCidrList, resolveClientIp, trustedProxiesFromEnv, type CidrRange } from "./client-ip";
import { activeSecrets, lookupToken, type ResolvedEndpoint } from "./endpoint-cache";
import { ENDPOINT_GUARDS, METHOD_NOT_ALLOWED_HEADERS, POST_GUARDS, TOKEN_RETIRED, firstRefusal, rateLimited, type Refusal } from "./guards";
import { createHookRequest, type HookRequest } from "./hook-request";
import { DatabaseUnavailableError, ingestWriterFor, isDatabaseError, toPgText, type DeliveryRow } from "./ingest-writer";
import { mediaType, parseBody } from "./parse-body";
import { RateLimiter } from "./rate-limiter";
import { eventTypeMatches, readPayloadPath } from "./read-payload-path";
import { redactHeaders, redactQuery } from "./redact-headers";
import { capRefusedDelivery, refusalQuotaFor } from "./refusal-quota";
import { answerPreflight, closeAfter, corsHeaders, redirect, sendBody, sendError, sendJson } from "./respond";
import { headerValue } from "./verify-auth";

// <token>/test is the test URL: while someone listens for a test event, a request there is verified
// like any other, stored and shown as the sample, and starts no run (also on an active flow).
const HOOK_PATH = /^\/api\/hooks\/([A-Za-z0-9_-]{1,128})(\/test)?\/?$/;

export interface HookHandlerDeps {
  /** The database to use (the process database in production, a test database in tests). */
  getDb: () => Promise<Database>;
  /** Base of the statusUrl in answers; default PUBLIC_URL or http://localhost:<PORT>. */
  publicUrl?: string;
  /** Proxies (CIDR) whose X-Forwarded-For is believed; default TRUSTED_PROXIES. */
  trustedProxies?: string[];
  /**
   * A sender that has not finished its body this long after the handler started on it is cut off
   * (408, stored); default: derived from REQUEST_TIMEOUT_MS so it comes before Node's own cut-off.
   */
  bodyTimeoutMs?: number;
}

export type HookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Builds the /api/hooks/<token> handler around a database (tests inject their own). */
export function createHookHandler(deps: HookHandlerDeps): HookHandler {
  const publicUrl = (deps.publicUrl ?? publicBaseUrl()).replace(/\/+$/, "");
  const globalProxies = parseCidrList(deps.trustedProxies ?? trustedProxiesFromEnv());
  const bodyTimeoutMs = deps.bodyTimeoutMs ?? httpTimeouts(requestTimeoutMs()).bodyTimeoutMs;
  const rateLimiter = new RateLimiter();
  const securityHeaders = webhookSecurityHeaders(publicUrl);

  return async function handleHook(req, res) {
    const ctx = createHookRequest(req, res, securityHeaders);
    try {
      await handle(ctx);
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) {
        console.error(`[hooks] ${error.message}`);
        return sendError(ctx, 503, "database_unavailable", "The request could not be stored; please retry.", { "retry-after": "5" });
      }
      console.error(`[hooks] unexpected error: ${(error as Error)?.stack ?? error}`);
      if (!res.headersSent) sendError(ctx, 500, "internal_error", "The request could not be processed; please retry.");
      else res.destroy();
    }
  };

  /** The request's path through the guards (guards.ts), in order; the first refusal answers. */
  async function handle(ctx: HookRequest) {
    const { req } = ctx;
    // 1. The route, the token and who is asking; an unknown token is answered before any of the body is read.
    const match = HOOK_PATH.exec(ctx.url.pathname);
    if (!match) {
      req.resume();
      return sendError(ctx, 404, "not_found", "Not found.");
    }
    ctx.isTest = match[2] === "/test";
    await lookUpToken(ctx, match[1]);
    if (ctx.isTest && !(ctx.endpoint && isListening(ctx.endpoint.id))) {
      req.resume();
      return sendError(ctx, 404, "not_listening", 'The test URL answers only while "Listen for test event" is on in the trigger\'s settings; use the webhook URL for real events.');
    }
    identifyClient(ctx, globalProxies);
    const lookup = ctx.lookup;
    if (!lookup) return closeAfter(ctx, async () => sendError(ctx, 404, "not_found", "Not found."));

    // 2. The body: size enforced while streaming (also without Content-Length), and a deadline.
    const limit = Math.min(ctx.endpoint?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES_LIMIT);
    const read = await readBody(req, limit, bodyTimeoutMs - (Date.now() - ctx.receivedAt.getTime()));
    if (read.kind === "aborted") return;
    if (read.kind === "timeout") return closeAfter(ctx, () => refuse(ctx, { status: 408, code: "body_timeout", message: `The request body did not arrive within ${bodyTimeoutMs / 1000} s.` }, null));
    if (read.kind === "too_large") return closeAfter(ctx, () => refuse(ctx, { status: 413, code: "body_too_large", message: `The body is larger than this endpoint's limit of ${limit} bytes.` }, null));
    const raw = read.body;

    // 3. A token replaced by rotation, then the endpoint's own guards (configuration, enabled, active flow, IP allowlist).
    if (lookup.kind === "retired") return refuse(ctx, TOKEN_RETIRED, raw);
    const ep = lookup;
    const endpointRefusal = firstRefusal(ENDPOINT_GUARDS, ctx, ep, raw);
    if (endpointRefusal) return refuse(ctx, endpointRefusal, raw);

    // 4. CORS preflights and GET verification handshakes are answered here; everything else must be a POST.
    const method = req.method ?? "GET";
    if (method === "OPTIONS") return answerPreflight(ctx);
    if (method === "GET" || method === "HEAD") return answerChallenge(ctx, ep);

    // 5. The POST's guards (method, signature over the raw bytes, content type), then its body.
    ctx.mediaType = mediaType(req.headers["content-type"]);
    const postRefusal = firstRefusal(POST_GUARDS, ctx, ep, raw);
    if (postRefusal) return refuse(ctx, postRefusal, raw);
    // Malformed bodies are refused after verification, so garbage from strangers is just a 401.
    const deliveryId = createRowId();
    const parsed = await parseBody(raw, req.headers["content-type"], { deliveryId, maxFileBytes: ep.settings.maxFileBytes });
    if (!parsed.ok) return refuse(ctx, parsed, raw);
    const limited = rateLimited(rateLimiter, ep);
    if (limited) return refuse(ctx, limited, raw);

    // 6. Answered as success but started nothing: bots, URL verification handshakes, filtered events.
    const type = ctx.mediaType;
    const isHtmlForm = type === "application/x-www-form-urlencoded" || type === "multipart/form-data";
    const honeypot = ep.settings.honeypotField;
    if (honeypot && isHtmlForm && hasValue((parsed.body as Record<string, unknown> | null)?.[honeypot])) {
      return ignore(ctx, ep, raw, deliveryId, "honeypot", ep.settings.redirectUrl ? 303 : 200, { ok: true });
    }
    if (ep.authScheme === "slack" && isUrlVerification(parsed.body)) {
      return ignore(ctx, ep, raw, deliveryId, "verification_challenge", 200, { challenge: (parsed.body as { challenge: string }).challenge });
    }
    if (ep.settings.eventTypes.length > 0) {
      const eventType = await readEventType(ep, req, parsed.body);
      if (!eventTypeMatches(eventType, ep.settings.eventTypes)) {
        return ignore(ctx, ep, raw, deliveryId, "event_filtered", 200, { ignored: true, reason: `Event type ${eventType ?? "(none)"} is not one this trigger listens for.` });
      }
    }

    // 7. The test URL captures the request for the editor (sample payload), never runs it, and takes no dedupe key from real events.
    const writer = ingestWriterFor(ctx.db!);
    if (ctx.isTest) {
      const row = { ...baseDelivery(ctx, raw, raw.length), id: deliveryId, verdict: "accepted" as const, responseStatus: 200, reason: "test_event" };
      await writer.record(row);
      publish(row, null);
      return sendJson(ctx, 200, { deliveryId, test: true, message: "Captured as a test event for the flow editor; no run was started." });
    }

    // 8. Accepted. Persist before ack: delivery + queued run + outbox event in one atomic statement (batched with concurrent requests).
    const dedupeKey = await readDedupeKey(ep, req, parsed.body);
    const delivery: DeliveryRow = { ...baseDelivery(ctx, raw, raw.length), id: deliveryId, verdict: "accepted", responseStatus: 202, reason: null, dedupeKey };
    const runId = createRowId();
    const triggerPayload = {
      body: parsed.body,
      headers: delivery.headers,
      query: delivery.query ?? {},
      method,
      receivedAt: ctx.receivedAt.toISOString(),
    };
    const dedupeWindowMs = ep.dedupe?.windowSeconds ? ep.dedupe.windowSeconds * 1000 : null;
    // The flowInactive guard refused every non-test request without an active version.
    const outcome = await writer.accept(delivery, { id: runId, flowId: ep.flowId, flowVersionId: ep.activeVersionId!, triggerPayload }, dedupeWindowMs);
    kickOutboxRelay();

    if (outcome.kind === "duplicate") {
      publish({ ...delivery, verdict: "duplicate", responseStatus: 200, reason: "duplicate" }, null);
      return sendJson(ctx, 200, {
        deliveryId: outcome.originalDeliveryId,
        runId: outcome.originalRunId,
        statusUrl: outcome.originalRunId ? statusUrl(outcome.originalRunId) : null,
        duplicate: true,
      });
    }
    publish(delivery, runId);
    if (ep.settings.redirectUrl && isHtmlForm) return redirect(ctx, ep.settings.redirectUrl);
    if (ep.responseMode === "sync") {
      const result = await waitForSyncResponse(ctx.db!, { workspaceId: ep.workspaceId, runId, timeoutMs: ep.syncTimeoutMs });
      if (result.state === "ready") return sendBody(ctx, result.response.status, result.response.body, result.response.headers);
      if (result.state === "finished" && (result.runStatus === "failed" || result.runStatus === "cancelled")) {
        const message = (result.error as { message?: string } | null)?.message ?? `The run ended with status ${result.runStatus}.`;
        return sendJson(ctx, 500, { error: { code: `run_${result.runStatus}`, message }, runId });
      }
      // Ended without reaching a Respond step: no step's data goes to the sender.
      if (result.state === "finished") return sendJson(ctx, 200, { deliveryId, runId, status: result.runStatus, statusUrl: statusUrl(runId) });
    }
    sendJson(ctx, 202, { deliveryId, runId, statusUrl: statusUrl(runId) });
  }

  /** Opens the database and looks the token up; either failing for database reasons is a 503 (the sender retries). */
  async function lookUpToken(ctx: HookRequest, token: string) {
    let db: Database;
    try {
      db = await deps.getDb(); // not open (the server is away or still starting)
    } catch (error) {
      throw new DatabaseUnavailableError(error);
    }
    ctx.db = db;
    try {
      ctx.lookup = await lookupToken(db, token);
    } catch (error) {
      throw isDatabaseError(error) ? new DatabaseUnavailableError(error) : error;
    }
    ctx.endpoint = ctx.lookup?.kind === "endpoint" ? ctx.lookup : null;
  }

  function statusUrl(runId: string) {
    return `${publicUrl}/api/v1/runs/${runId}`;
  }
}

/** The CORS origin allowed to read the answer, and the client address (X-Forwarded-For only from trusted proxies). */
function identifyClient(ctx: HookRequest, globalProxies: CidrRange[]) {
  const { endpoint, req } = ctx;
  if (endpoint) ctx.corsOrigin = allowedOrigin(endpoint, headerValue(req.headers, "origin"));
  const proxies = endpoint?.trustedProxyRanges.length ? [...globalProxies, ...endpoint.trustedProxyRanges] : globalProxies;
  ctx.clientIp = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxies);
}

/**
 * Stores a refused request and answers it. Refused requests start nothing and may come from anyone
 * who knows the URL: a quota per endpoint and minute, and only their start kept (refusal-quota.ts).
 */
async function refuse(ctx: HookRequest, refusal: Refusal, raw: Buffer | null) {
  const row = { ...baseDelivery(ctx, raw, raw?.length ?? 0), verdict: "rejected" as const, responseStatus: refusal.status, reason: refusal.code };
  await storeRefused(ctx, row).catch((error) => console.error(`[hooks] could not store a refused request: ${(error as Error).message}`));
  sendError(ctx, refusal.status, refusal.code, refusal.message, refusal.headers);
}

async function storeRefused(ctx: HookRequest, row: DeliveryRow) {
  const db = ctx.db!;
  if (!refusalQuotaFor(db).admit(row.endpointId, ctx.receivedAt)) return;
  await ingestWriterFor(db).record(capRefusedDelivery(row));
  publish(row, null);
}

/** Stores a request answered as success that starts nothing, and answers it. */
async function ignore(ctx: HookRequest, ep: ResolvedEndpoint, raw: Buffer, deliveryId: string, code: string, status: number, body: unknown) {
  const row = { ...baseDelivery(ctx, raw, raw.length), id: deliveryId, verdict: "rejected" as const, responseStatus: status, reason: code };
  await ingestWriterFor(ctx.db!).record(row);
  publish(row, null);
  if (status === 303) return redirect(ctx, ep.settings.redirectUrl!);
  sendJson(ctx, status, body);
}

/** The stored record of this request, before its verdict. */
function baseDelivery(ctx: HookRequest, raw: Buffer | null, size: number): DeliveryRow {
  const { req, lookup, endpoint } = ctx;
  const secretHeaders: string[] = [];
  const cfg = endpoint?.authConfig as { headerName?: string } | undefined;
  if (cfg?.headerName) secretHeaders.push(cfg.headerName);
  const query = ctx.url.searchParams.size ? redactQuery(ctx.url.searchParams) : null;
  return {
    id: createRowId(),
    workspaceId: lookup!.workspaceId,
    endpointId: lookup!.kind === "endpoint" ? lookup!.id : lookup!.endpointId,
    receivedAt: ctx.receivedAt,
    method: req.method ?? "GET",
    query,
    headers: redactHeaders(req.headers, secretHeaders),
    rawBody: raw,
    contentType: req.headers["content-type"] ?? null,
    sizeBytes: size || Number(req.headers["content-length"]) || 0,
    sourceIp: ctx.clientIp ?? normalizePeer(req.socket.remoteAddress),
    verdict: "rejected",
    responseStatus: 0,
    reason: null,
    dedupeKey: null,
  };
}

function normalizePeer(address: string | undefined): string | null {
  if (!address) return null;
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

function publish(row: DeliveryRow, runId: string | null) {
  publishDelivery({
    id: row.id,
    workspaceId: row.workspaceId,
    endpointId: row.endpointId,
    receivedAt: row.receivedAt.toISOString(),
    method: row.method,
    verdict: row.verdict,
    responseStatus: row.responseStatus,
    reason: row.reason,
    runId,
  });
}

async function readEventType(ep: ResolvedEndpoint, req: IncomingMessage, body: unknown): Promise<string | null> {
  if (ep.settings.eventTypeHeader) {
    const fromHeader = headerValue(req.headers, ep.settings.eventTypeHeader);
    if (fromHeader) return fromHeader;
  }
  return ep.settings.eventTypePath ? readPayloadPath(body, ep.settings.eventTypePath) : null;
}

async function readDedupeKey(ep: ResolvedEndpoint, req: IncomingMessage, body: unknown): Promise<string | null> {
  if (!ep.dedupe) return null;
  const key = ep.dedupe.source === "header" ? (headerValue(req.headers, ep.dedupe.header) ?? null) : await readPayloadPath(body, ep.dedupe.path);
  return key ? toPgText(key.slice(0, 255)) : null;
}

function hasValue(value: unknown): boolean {
  return Array.isArray(value) ? value.some(hasValue) : typeof value === "string" ? value.trim() !== "" : value != null;
}

function isUrlVerification(body: unknown): boolean {
  const b = body as { type?: unknown; challenge?: unknown } | null;
  return !!b && typeof b === "object" && b.type === "url_verification" && typeof b.challenge === "string";
}

function allowedOrigin(ep: ResolvedEndpoint, origin: string | undefined): string | null {
  if (!origin || ep.settings.corsOrigins.length === 0) return null;
  return ep.settings.corsOrigins.includes("*") || ep.settings.corsOrigins.includes(origin) ? origin : null;
}

/** GET verification handshakes: Meta-style hub.challenge (checked against the secret) and plain ?challenge=. */
async function answerChallenge(ctx: HookRequest, ep: ResolvedEndpoint) {
  const q = ctx.url.searchParams;
  const challenge = q.get("hub.challenge") ?? q.get("challenge");
  if (!challenge) return refuse(ctx, GET_WITHOUT_CHALLENGE, null);
  if (q.has("hub.challenge")) {
    const given = q.get("hub.verify_token") ?? "";
    const secrets = activeSecrets(ep);
    if (secrets.length > 0 && !secrets.some((s) => constantTimeEqual(given, s))) return refuse(ctx, WRONG_VERIFY_TOKEN, null);
  }
  const row = { ...baseDelivery(ctx, null, 0), verdict: "rejected" as const, responseStatus: 200, reason: "verification_challenge" };
  await storeRefused(ctx, row);
  ctx.res.writeHead(200, { ...ctx.securityHeaders.json, "content-type": "text/plain; charset=utf-8", ...corsHeaders(ctx) });
  ctx.res.end(ctx.req.method === "HEAD" ? undefined : challenge);
}

const GET_WITHOUT_CHALLENGE: Refusal = {
  status: 405,
  code: "method_not_allowed",
  message: "Webhooks are received with POST; GET only answers verification challenges.",
  headers: METHOD_NOT_ALLOWED_HEADERS,
};
const WRONG_VERIFY_TOKEN: Refusal = { status: 401, code: "unauthorized", message: "hub.verify_token does not match the endpoint's secret." };

let processHandler: HookHandler | undefined;

/** The production handler: the process database from getDatabase(). server.ts calls it for every /api/hooks/ request. */
export function handleHookRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  processHandler ??= createHookHandler({ getDb: getDatabase });
  return processHandler(req, res);
}

/** Waits until every webhook write already queued has committed (call on shutdown, before closing the database). */
export async function drainHookWrites(): Promise<void> {
  const db = await getDatabase();
  await refusalQuotaFor(db).flush();
  await ingestWriterFor(db).drain();
}
