// How the webhook handler answers: JSON with the webhook security headers and CORS, a flow's own
// body (sync responses), redirects, CORS preflights, and hanging up after an unread body.
import { headerValue } from "./verify-auth";
import type { HookRequest } from "./hook-request";

export function corsHeaders(ctx: HookRequest): Record<string, string> {
  return ctx.corsOrigin ? { "access-control-allow-origin": ctx.corsOrigin, vary: "Origin" } : {};
}

export function sendJson(ctx: HookRequest, status: number, body: unknown, headers: Record<string, string> = {}) {
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

export function sendBody(ctx: HookRequest, status: number, body: unknown, headers: Record<string, string>) {
  if (typeof body === "string" && headers["content-type"]) {
    ctx.res.writeHead(status, { ...ctx.securityHeaders.flowBody, ...corsHeaders(ctx), ...headers, "content-length": Buffer.byteLength(body) });
    ctx.res.end(body);
    return;
  }
  sendJson(ctx, status, body, headers);
}

export function sendError(ctx: HookRequest, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  if (ctx.res.headersSent) return;
  sendJson(ctx, status, { error: { code, message } }, headers);
}

export function redirect(ctx: HookRequest, location: string) {
  ctx.res.writeHead(303, { ...ctx.securityHeaders.json, location, "content-length": 0, ...corsHeaders(ctx) });
  ctx.res.end();
}

export function answerPreflight(ctx: HookRequest) {
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

/** Answers, then closes the connection: the rest of an oversized or stalled body is not read. */
export async function closeAfter(ctx: HookRequest, answer: () => Promise<void>) {
  ctx.res.setHeader("connection", "close");
  await answer();
  // Drain what is already in flight for a moment so the client can read the answer, then hang up.
  ctx.req.resume();
  const socket = ctx.req.socket;
  setTimeout(() => socket.destroy(), 2000).unref();
}
