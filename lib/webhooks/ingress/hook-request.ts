// One webhook request as the handler works on it: created once per request with every field, so
// the guards and answers share it instead of closures made per request.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { webhookSecurityHeaders } from "@/lib/config/security-headers";
import type { Database } from "@/lib/db";
import type { ResolvedEndpoint, TokenLookup } from "./endpoint-cache";

export interface HookRequest {
  req: IncomingMessage;
  res: ServerResponse;
  receivedAt: Date;
  url: URL;
  securityHeaders: ReturnType<typeof webhookSecurityHeaders>;
  /** <token>/test: the test URL (answers only while someone listens; starts no run). */
  isTest: boolean;
  db: Database | null;
  /** What the token names: an endpoint, a retired token, or nothing (null also before the lookup). */
  lookup: TokenLookup;
  /** The endpoint when the token names one. */
  endpoint: ResolvedEndpoint | null;
  corsOrigin: string | null;
  /** The client address (X-Forwarded-For only from trusted proxies), recorded with every refusal too. */
  clientIp: string | null;
  /** The request's media type (Content-Type without parameters), once the body was read. */
  mediaType: string | null;
}

export function createHookRequest(req: IncomingMessage, res: ServerResponse, securityHeaders: HookRequest["securityHeaders"]): HookRequest {
  return {
    req,
    res,
    receivedAt: new Date(),
    url: new URL(req.url ?? "/", "http://hooks.local"),
    securityHeaders,
    isTest: false,
    db: null,
    lookup: null,
    endpoint: null,
    corsOrigin: null,
    clientIp: null,
    mediaType: null,
  };
}
