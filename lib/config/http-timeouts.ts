// How the HTTP server enforces REQUEST_TIMEOUT_MS. Node checks for expired requests only every
// `connectionsCheckingInterval` (30 s by default), so without a shorter sweep a 5 s limit cut
// senders off after 23-28 s; and the webhook handler must give up on a slow body before Node's
// own bare 408 does, or its stored body_timeout refusal never happens.
import type { ServerOptions } from "node:http";

export interface HttpTimeouts {
  /** Options for http.createServer. */
  server: Required<Pick<ServerOptions, "requestTimeout" | "headersTimeout" | "connectionsCheckingInterval">>;
  /** The webhook handler's deadline for the whole body, counted from when it starts on the request. */
  bodyTimeoutMs: number;
}

export function httpTimeouts(requestTimeoutMs: number): HttpTimeouts {
  const requestTimeout = Math.max(1, Math.floor(requestTimeoutMs));
  // A sweep every quarter second at most: a cut-off lands within 250 ms of the limit.
  const connectionsCheckingInterval = Math.max(50, Math.min(250, Math.floor(requestTimeout / 4)));
  // Room for reading the headers and looking up the endpoint before the handler's own timer starts.
  const headStart = Math.min(500, Math.floor(requestTimeout / 4));
  return {
    server: { requestTimeout, headersTimeout: Math.min(requestTimeout, 20_000), connectionsCheckingInterval },
    bodyTimeoutMs: Math.max(1, requestTimeout - headStart),
  };
}
