// POST /api/hooks/:token – receive a webhook (the fast path: plain node:http, not the Next router).
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDatabase, type Database } from "@/lib/db";
import { kickOutboxRelay } from "@/lib/outbox/kick";
import { waitForSyncResponse } from "@/lib/runs/get-sync-response";
import { ipInRanges, parseCidrList, resolveClientIp, trustedProxiesFromEnv } from "./client-ip";
import { constantTimeEqual } from "@/lib/crypto/constant-time";
import { isListening, publishDelivery } from "../deliveries/delivery-feed";
import { activeSecrets, lookupToken, type ResolvedEndpoint } from "./endpoint-cache";
import { createRowId } from "@/lib/db/ids";
import { httpTimeouts } from "@/lib/config/http-timeouts";
import { webhookSecurityHeaders } from "@/lib/config/security-headers";
import { publicUrl as publicBaseUrl, requestTimeoutMs } from "@/lib/config/server-settings";
import { DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES_LIMIT } from "../endpoints/limits";
import { DatabaseUnavailableError, ingestWriterFor, isDatabaseError, toPgText, type DeliveryRow } from "./ingest-writer";
import { isAcceptedMediaType, mediaType, parseBody } from "./parse-body";
import { RateLimiter } from "./rate-limiter";
import { capRefusedDelivery, refusalQuotaFor } from "./refusal-quota";
import { readBody } from "@/lib/net/read-body";
import { eventTypeMatches, readPayloadPath } from "./read-payload-path";
import { redactHeaders, redactQuery } from "./redact-headers";
import { headerValue, verifyAuth } from "./verify-auth";

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

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  receivedAt: Date;
  url: URL;
  corsOrigin: string | null;
  clientIp: string | null;
  securityHeaders: ReturnType<typeof webhookSecurityHeaders>;
}

/** Builds the /api/hooks/<token> handler around a database (tests inject their own). */
export function createHookHandler(deps: HookHandlerDeps): HookHandler {
  const publicUrl = (deps.publicUrl ?? publicBaseUrl()).replace(/\/+$/, "");
  const globalProxies = parseCidrList(deps.trustedProxies ?? trustedProxiesFromEnv());
  const bodyTimeoutMs = deps.bodyTimeoutMs ?? httpTimeouts(requestTimeoutMs()).bodyTimeoutMs;
  const rateLimiter = new RateLimiter();
  const securityHeaders = webhookSecurityHeaders(publicUrl);

  return async function handleHook(req, res) {
    const ctx: Ctx = { req, res, receivedAt: new Date(), url: new URL(req.url ?? "/", "http://hooks.local"), corsOrigin: null, clientIp: null, securityHeaders };
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

  async function handle(ctx: Ctx) {
    const { req } = ctx;
    const match = HOOK_PATH.exec(ctx.url.pathname);
    if (!match) {
      req.resume();
      return sendError(ctx, 404, "not_found", "Not found.");
    }
    const token = match[1];
    const isTest = match[2] === "/test";

    let db: Database;
    let lookup: Awaited<ReturnType<typeof lookupToken>>;
    try {
      db = await deps.getDb(); // not open (the server is away or still starting): the sender retries
    } catch (error) {
      throw new DatabaseUnavailableError(error);
    }
    try {
      lookup = await lookupToken(db, token);
    } catch (error) {
      throw isDatabaseError(error) ? new DatabaseUnavailableError(error) : error;
    }
    const endpoint = lookup?.kind === "endpoint" ? lookup : null;
    if (isTest && !(endpoint && isListening(endpoint.id))) {
      req.resume();
      return sendError(ctx, 404, "not_listening", 'The test URL answers only while "Listen for test event" is on in the trigger\'s settings; use the webhook URL for real events.');
    }
    if (endpoint) ctx.corsOrigin = allowedOrigin(endpoint, headerValue(req.headers, "origin"));
    // The client address (X-Forwarded-For only from trusted proxies), recorded with every refusal too.
    const proxies = endpoint?.trustedProxyRanges.length ? [...globalProxies, ...endpoint.trustedProxyRanges] : globalProxies;
    ctx.clientIp = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxies);

    // Guard 1: unknown token (no detail) — answered before any of the body is read, then hung up.
    if (!lookup) return closeAfter(ctx, async () => sendError(ctx, 404, "not_found", "Not found."));

    // Guard 2: body size, enforced while streaming (also without Content-Length).
    const limit = Math.min(endpoint?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES_LIMIT);
    const read = await readBody(req, limit, bodyTimeoutMs - (Date.now() - ctx.receivedAt.getTime()));
    if (read.kind === "aborted") return;
    const writer = ingestWriterFor(db);
    const base = (raw: Buffer | null, size: number) => baseDelivery(ctx, lookup, raw, size, endpoint);
    // Requests that start nothing and may come from anyone who knows the URL: a quota per endpoint and minute, only their start kept.
    const quota = refusalQuotaFor(db);
    const storeRefused = async (row: DeliveryRow) => {
      if (!quota.admit(row.endpointId, ctx.receivedAt)) return;
      await writer.record(capRefusedDelivery(row));
      publish(row, null);
    };
    const refuse = async (status: number, code: string, message: string, raw: Buffer | null, headers: Record<string, string> = {}) => {
      const row = { ...base(raw, raw?.length ?? 0), verdict: "rejected" as const, responseStatus: status, reason: code };
      await storeRefused(row).catch((error) => console.error(`[hooks] could not store a refused request: ${(error as Error).message}`));
      sendError(ctx, status, code, message, headers);
    };
    if (read.kind === "timeout") {
      return closeAfter(ctx, () => refuse(408, "body_timeout", `The request body did not arrive within ${bodyTimeoutMs / 1000} s.`, null));
    }
    if (read.kind === "too_large") {
      return closeAfter(ctx, () => refuse(413, "body_too_large", `The body is larger than this endpoint's limit of ${limit} bytes.`, null));
    }
    const raw = read.body;

    // Guard 3: a token replaced by rotation.
    if (lookup.kind === "retired") {
      return refuse(410, "token_retired", "This webhook URL was replaced; ask the flow's owner for the new URL.", raw);
    }
    const ep = lookup;
    if (ep.configError) return refuse(500, "endpoint_misconfigured", ep.configError, raw);

    // Guard 4: disabled endpoint or inactive flow (recorded so the user sees what arrived).
    if (!ep.enabled) return refuse(423, "endpoint_disabled", "This webhook endpoint is disabled; enable it in the flow's trigger settings.", raw);
    if (!isTest && (ep.flowStatus !== "active" || !ep.activeVersionId)) {
      return refuse(423, "flow_inactive", "The flow behind this webhook is not active; publish and activate it to accept requests.", raw);
    }

    // Guard 5: IP allowlist.
    const clientIp = ctx.clientIp;
    if (ep.allowedRanges.length > 0 && !(clientIp && ipInRanges(clientIp, ep.allowedRanges))) {
      return refuse(403, "ip_not_allowed", `Requests from ${clientIp ?? "this address"} are not allowed by the endpoint's IP allowlist.`, raw);
    }

    const method = req.method ?? "GET";
    if (method === "OPTIONS") return answerPreflight(ctx);
    if (method === "GET" || method === "HEAD") {
      return answerChallenge(ctx, ep, refuse, storeRefused);
    }
    if (method !== "POST") return refuse(405, "method_not_allowed", `Webhooks are received with POST, not ${method}.`, raw, { allow: "POST, GET, OPTIONS" });

    // Guard 6: authentication / signature over the raw bytes.
    const auth = verifyAuth({ scheme: ep.authScheme, config: ep.authConfig, headers: req.headers, rawBody: raw, secrets: activeSecrets(ep) });
    if (!auth.ok) return refuse(401, auth.reason === "timestamp_out_of_range" ? "timestamp_out_of_range" : "unauthorized", auth.message, raw);

    // Guard 7: content type.
    const type = mediaType(req.headers["content-type"]);
    if (raw.length > 0 && !(type && isAcceptedMediaType(type, ep.settings.acceptedContentTypes))) {
      return refuse(415, "unsupported_content_type", `Content type ${type ?? "(none)"} is not accepted here; send one of ${ep.settings.acceptedContentTypes.join(", ")}.`, raw);
    }

    // Guard 8: malformed body (after verification, so garbage from strangers is just a 401).
    const deliveryId = createRowId();
    const parsed = await parseBody(raw, req.headers["content-type"], { deliveryId, maxFileBytes: ep.settings.maxFileBytes });
    if (!parsed.ok) return refuse(parsed.status, parsed.code, parsed.message, raw);

    // Guard 9: per-endpoint rate limit.
    if (ep.rateLimitPerMinute) {
      const taken = rateLimiter.take(ep.id, ep.rateLimitPerMinute);
      if (!taken.allowed) {
        return refuse(429, "rate_limited", `This endpoint accepts ${ep.rateLimitPerMinute} requests per minute; retry in ${taken.retryAfterSeconds} s.`, raw, {
          "retry-after": String(taken.retryAfterSeconds),
        });
      }
    }

    // Answered as success but started nothing: bots, filtered events, URL verification handshakes.
    const ignore = async (code: string, status: number, body: unknown) => {
      const row = { ...base(raw, raw.length), id: deliveryId, verdict: "rejected" as const, responseStatus: status, reason: code };
      await writer.record(row);
      publish(row, null);
      if (status === 303) return redirect(ctx, ep.settings.redirectUrl!);
      sendJson(ctx, status, body);
    };
    const isHtmlForm = type === "application/x-www-form-urlencoded" || type === "multipart/form-data";
    const honeypot = ep.settings.honeypotField;
    if (honeypot && isHtmlForm && hasValue((parsed.body as Record<string, unknown> | null)?.[honeypot])) {
      return ignore("honeypot", ep.settings.redirectUrl ? 303 : 200, { ok: true });
    }
    if (ep.authScheme === "slack" && isUrlVerification(parsed.body)) {
      return ignore("verification_challenge", 200, { challenge: (parsed.body as { challenge: string }).challenge });
    }
    if (ep.settings.eventTypes.length > 0) {
      const eventType = await readEventType(ep, req, parsed.body);
      if (!eventTypeMatches(eventType, ep.settings.eventTypes)) {
        return ignore("event_filtered", 200, { ignored: true, reason: `Event type ${eventType ?? "(none)"} is not one this trigger listens for.` });
      }
    }

    if (isTest) {
      // Captured for the editor (sample payload), never run, and it takes no dedupe key from real events.
      const row = { ...base(raw, raw.length), id: deliveryId, verdict: "accepted" as const, responseStatus: 200, reason: "test_event" };
      await writer.record(row);
      publish(row, null);
      return sendJson(ctx, 200, { deliveryId, test: true, message: "Captured as a test event for the flow editor; no run was started." });
    }

    // Persist before ack: delivery + queued run + outbox event in one atomic statement (batched with concurrent requests).
    const dedupeKey = await readDedupeKey(ep, req, parsed.body);
    const delivery: DeliveryRow = { ...base(raw, raw.length), id: deliveryId, verdict: "accepted", responseStatus: 202, reason: null, dedupeKey };
    const runId = createRowId();
    const triggerPayload = {
      body: parsed.body,
      headers: delivery.headers,
      query: delivery.query ?? {},
      method,
      receivedAt: ctx.receivedAt.toISOString(),
    };
    const dedupeWindowMs = ep.dedupe?.windowSeconds ? ep.dedupe.windowSeconds * 1000 : null;
    // Guard 4 refused every non-test request without an active version.
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
      const result = await waitForSyncResponse(db, { workspaceId: ep.workspaceId, runId, timeoutMs: ep.syncTimeoutMs });
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

  function statusUrl(runId: string) {
    return `${publicUrl}/api/v1/runs/${runId}`;
  }
}

function baseDelivery(
  ctx: Ctx,
  lookup: Awaited<ReturnType<typeof lookupToken>>,
  raw: Buffer | null,
  size: number,
  endpoint: ResolvedEndpoint | null,
): DeliveryRow {
  const { req } = ctx;
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

function answerPreflight(ctx: Ctx) {
  if (!ctx.corsOrigin) return sendError(ctx, 403, "cors_origin_not_allowed", "This origin may not post to this endpoint from a browser.");
  ctx.res.writeHead(204, {
    ...ctx.securityHeaders.json,
    "access-control-allow-origin": ctx.corsOrigin,
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": headerValue(ctx.req.headers, "access-control-request-headers") ?? "content-type",
    "access-control-max-age": "600",
    vary: "Origin",
  });
  ctx.res.end();
}

/** GET verification handshakes: Meta-style hub.challenge (checked against the secret) and plain ?challenge=. */
async function answerChallenge(
  ctx: Ctx,
  ep: ResolvedEndpoint,
  refuse: (status: number, code: string, message: string, raw: Buffer | null, headers?: Record<string, string>) => Promise<void>,
  store: (row: DeliveryRow) => Promise<void>,
) {
  const q = ctx.url.searchParams;
  const challenge = q.get("hub.challenge") ?? q.get("challenge");
  if (!challenge) return refuse(405, "method_not_allowed", "Webhooks are received with POST; GET only answers verification challenges.", null, { allow: "POST, GET, OPTIONS" });
  if (q.has("hub.challenge")) {
    const given = q.get("hub.verify_token") ?? "";
    const secrets = activeSecrets(ep);
    if (secrets.length > 0 && !secrets.some((s) => constantTimeEqual(given, s))) {
      return refuse(401, "unauthorized", "hub.verify_token does not match the endpoint's secret.", null);
    }
  }
  const row = { ...baseDelivery(ctx, ep, null, 0, ep), verdict: "rejected" as const, responseStatus: 200, reason: "verification_challenge" };
  await store(row);
  ctx.res.writeHead(200, { ...ctx.securityHeaders.json, "content-type": "text/plain; charset=utf-8", ...corsHeaders(ctx) });
  ctx.res.end(ctx.req.method === "HEAD" ? undefined : challenge);
}

function corsHeaders(ctx: Ctx): Record<string, string> {
  return ctx.corsOrigin ? { "access-control-allow-origin": ctx.corsOrigin, vary: "Origin" } : {};
}

function sendJson(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  ctx.res.writeHead(status, {
    ...ctx.securityHeaders.json,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
    ...corsHeaders(ctx),
    ...headers,
  });
  ctx.res.end(ctx.req.method === "HEAD" ? undefined : payload);
}

function sendBody(ctx: Ctx, status: number, body: unknown, headers: Record<string, string>) {
  if (typeof body === "string" && headers["content-type"]) {
    ctx.res.writeHead(status, { ...ctx.securityHeaders.flowBody, ...corsHeaders(ctx), ...headers, "content-length": Buffer.byteLength(body) });
    ctx.res.end(body);
    return;
  }
  sendJson(ctx, status, body, headers);
}

function sendError(ctx: Ctx, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  if (ctx.res.headersSent) return;
  sendJson(ctx, status, { error: { code, message } }, headers);
}

function redirect(ctx: Ctx, location: string) {
  ctx.res.writeHead(303, { ...ctx.securityHeaders.json, location, "content-length": 0, ...corsHeaders(ctx) });
  ctx.res.end();
}

/** Answers, then closes the connection: the rest of an oversized or stalled body is not read. */
async function closeAfter(ctx: Ctx, answer: () => Promise<void>) {
  ctx.res.setHeader("connection", "close");
  await answer();
  // Drain what is already in flight for a moment so the client can read the answer, then hang up.
  ctx.req.resume();
  const socket = ctx.req.socket;
  setTimeout(() => socket.destroy(), 2000).unref();
}

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
