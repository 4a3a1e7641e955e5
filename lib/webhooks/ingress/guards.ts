// The checks a webhook to a known endpoint passes before it is accepted, in the order
// http-handler.ts runs them. Each returns the refusal the sender gets (the request is stored as
// refused), or null to let it through. Synchronous, so the fast path awaits nothing for them.
import type { ResolvedEndpoint } from "./endpoint-cache";
import type { HookRequest } from "./hook-request";
import { ipInRanges } from "./client-ip";
import { isAcceptedMediaType } from "./parse-body";
import type { RateLimiter } from "./rate-limiter";
import { activeSecrets } from "./endpoint-cache";
import { verifyAuth } from "./verify-auth";

export interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export type Guard = (ctx: HookRequest, endpoint: ResolvedEndpoint, body: Buffer) => Refusal | null;

const ALLOW = { allow: "POST, GET, OPTIONS" };

export const TOKEN_RETIRED: Refusal = { status: 410, code: "token_retired", message: "This webhook URL was replaced; ask the flow's owner for the new URL." };
const ENDPOINT_DISABLED: Refusal = { status: 423, code: "endpoint_disabled", message: "This webhook endpoint is disabled; enable it in the flow's trigger settings." };
const FLOW_INACTIVE: Refusal = { status: 423, code: "flow_inactive", message: "The flow behind this webhook is not active; publish and activate it to accept requests." };

/** Whether this endpoint takes requests from this sender at all; run before the method is looked at. */
export const ENDPOINT_GUARDS: readonly Guard[] = [
  function endpointMisconfigured(_ctx, ep) {
    return ep.configError ? { status: 500, code: "endpoint_misconfigured", message: ep.configError } : null;
  },
  function endpointDisabled(_ctx, ep) {
    return ep.enabled ? null : ENDPOINT_DISABLED;
  },
  // The test URL also works while the flow is inactive.
  function flowInactive(ctx, ep) {
    return !ctx.isTest && (ep.flowStatus !== "active" || !ep.activeVersionId) ? FLOW_INACTIVE : null;
  },
  function ipNotAllowed(ctx, ep) {
    if (ep.allowedRanges.length === 0 || (ctx.clientIp && ipInRanges(ctx.clientIp, ep.allowedRanges))) return null;
    return { status: 403, code: "ip_not_allowed", message: `Requests from ${ctx.clientIp ?? "this address"} are not allowed by the endpoint's IP allowlist.` };
  },
];

/** Who sent a POST and what it is (OPTIONS, GET and HEAD are answered before these). */
export const POST_GUARDS: readonly Guard[] = [
  function methodNotPost(ctx) {
    const method = ctx.req.method ?? "GET";
    return method === "POST" ? null : { status: 405, code: "method_not_allowed", message: `Webhooks are received with POST, not ${method}.`, headers: ALLOW };
  },
  // Authentication / signature over the raw bytes.
  function unauthenticated(ctx, ep, body) {
    const auth = verifyAuth({ scheme: ep.authScheme, config: ep.authConfig, headers: ctx.req.headers, rawBody: body, secrets: activeSecrets(ep) });
    if (auth.ok) return null;
    return { status: 401, code: auth.reason === "timestamp_out_of_range" ? "timestamp_out_of_range" : "unauthorized", message: auth.message };
  },
  function unsupportedContentType(ctx, ep, body) {
    const type = ctx.mediaType;
    if (body.length === 0 || (type && isAcceptedMediaType(type, ep.settings.acceptedContentTypes))) return null;
    return {
      status: 415,
      code: "unsupported_content_type",
      message: `Content type ${type ?? "(none)"} is not accepted here; send one of ${ep.settings.acceptedContentTypes.join(", ")}.`,
    };
  },
];

/** Runs `guards` in order; the first refusal wins. */
export function firstRefusal(guards: readonly Guard[], ctx: HookRequest, endpoint: ResolvedEndpoint, body: Buffer): Refusal | null {
  for (let i = 0; i < guards.length; i++) {
    const refusal = guards[i](ctx, endpoint, body);
    if (refusal) return refusal;
  }
  return null;
}

/** The per-endpoint rate limit; checked after the body parsed, so a malformed body is a 400, not a 429. */
export function rateLimited(limiter: RateLimiter, ep: ResolvedEndpoint): Refusal | null {
  if (!ep.rateLimitPerMinute) return null;
  const taken = limiter.take(ep.id, ep.rateLimitPerMinute);
  if (taken.allowed) return null;
  return {
    status: 429,
    code: "rate_limited",
    message: `This endpoint accepts ${ep.rateLimitPerMinute} requests per minute; retry in ${taken.retryAfterSeconds} s.`,
    headers: { "retry-after": String(taken.retryAfterSeconds) },
  };
}

export const METHOD_NOT_ALLOWED_HEADERS = ALLOW;
