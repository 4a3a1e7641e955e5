// Outbound HTTP for node runners. Every request and every redirect is checked by the SSRF
// guard at connection time (the address actually dialled, so DNS rebinding cannot slip past).
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { ALLOWED_HOSTS_SETTING } from "./allowed-hosts-setting";
import { blockedAddressReason } from "./is-blocked-address";
import { OutboundAllowlist } from "./host-allowlist";

export interface OutboundRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole-request budget including redirects. */
  timeoutMs?: number;
  maxRedirects?: number;
  /** The workspace's allowedHosts: hosts that may resolve to internal addresses. */
  allowedHosts?: readonly string[];
  /** Response bodies beyond this are cut off (and `bodyTruncated` set). */
  maxResponseBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  bodyTruncated: boolean;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: string[];
}

/** The SSRF guard refused the destination. Not retryable: the address will not change by waiting. */
export class BlockedDestinationError extends Error {
  readonly code = "destination_blocked";
  constructor(readonly host: string, readonly address: string, readonly reason: string) {
    super(
      `Refused to connect to ${host} (${address}): ${reason} addresses are not reachable from flows. ` +
        `A workspace admin can allow this host under ${ALLOWED_HOSTS_SETTING.place}, within what the operator permits (SWITCHYARD_ALLOWED_INTERNAL_HOSTS).`,
    );
    this.name = "BlockedDestinationError";
  }
}

/** Network failure or timeout before a response arrived. Retryable. */
export class OutboundNetworkError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = "OutboundNetworkError";
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export async function guardedRequest(request: OutboundRequest): Promise<OutboundResponse> {
  const allowlist = new OutboundAllowlist(request.allowedHosts ?? []);
  const deadline = Date.now() + (request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const redirects: string[] = [];
  let url = parseUrl(request.url);
  let method = request.method.toUpperCase();
  let body = request.body;
  let headers = { ...(request.headers ?? {}) };

  for (;;) {
    const response = await sendOnce({ url, method, headers, body, deadline, allowlist, maxBytes: request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES });
    const location = response.headers.location;
    if (![301, 302, 303, 307, 308].includes(response.status) || !location || maxRedirects === 0) return { ...response, url: url.toString(), redirects };
    if (redirects.length >= maxRedirects) throw new OutboundNetworkError(`Too many redirects (more than ${maxRedirects}) starting at ${request.url}`, "too_many_redirects");
    const next = parseUrl(new URL(location, url).toString());
    redirects.push(next.toString());
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
      headers = withoutHeaders(headers, ["content-type", "content-length"]);
    }
    // Credentials are for the origin they were written for, not wherever it redirects.
    if (next.origin !== url.origin) headers = withoutHeaders(headers, ["authorization", "cookie", "proxy-authorization"]);
    url = next;
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundNetworkError(`"${raw}" is not a valid URL`, "invalid_url");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundNetworkError(`Only http and https URLs are allowed, not ${url.protocol}`, "invalid_url");
  return url;
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

interface SendOptions {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  deadline: number;
  allowlist: OutboundAllowlist;
  maxBytes: number;
}

function sendOnce(options: SendOptions): Promise<Omit<OutboundResponse, "url" | "redirects">> {
  const { url, allowlist } = options;
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const hostAllowed = allowlist.allowsHost(hostname);
  // IP literals are dialled without a DNS lookup, so they are checked here.
  if (net.isIP(hostname) && !hostAllowed) {
    const reason = blockedAddressReason(hostname);
    if (reason && !allowlist.exempts(hostname, hostname)) return Promise.reject(new BlockedDestinationError(hostname, hostname, reason));
  }
  const lookup: net.LookupFunction = (host, lookupOptions, callback) => {
    dns.lookup(host, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as dns.LookupAddress[];
      if (!hostAllowed) {
        for (const { address } of list) {
          const reason = blockedAddressReason(address);
          if (reason && !allowlist.exempts(host, address)) return callback(new BlockedDestinationError(host, address, reason), "", 0);
        }
      }
      if (lookupOptions.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
  const remaining = options.deadline - Date.now();
  if (remaining <= 0) return Promise.reject(new OutboundNetworkError(`Request to ${url.origin} timed out`, "timeout"));
  const transport = url.protocol === "https:" ? https : http;
  const bodyBuffer = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  const headers: Record<string, string> = { "user-agent": "Switchyard/1.0", ...options.headers };
  if (bodyBuffer && !Object.keys(headers).some((name) => name.toLowerCase() === "content-length")) headers["content-length"] = String(bodyBuffer.length);

  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: options.method, headers, lookup, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on("data", (chunk: Buffer) => {
        if (truncated) return;
        if (size + chunk.length > options.maxBytes) {
          chunks.push(chunk.subarray(0, options.maxBytes - size));
          size = options.maxBytes;
          truncated = true;
          res.destroy();
          finish();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on("end", finish);
      res.on("error", (error) => {
        if (!truncated) fail(error);
      });
      let done = false;
      function finish() {
        if (done) return;
        done = true;
        clearTimeout(timer);
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: Buffer.concat(chunks), bodyTruncated: truncated });
      }
    });
    const timer = setTimeout(() => req.destroy(new OutboundNetworkError(`Request to ${url.origin} timed out`, "timeout")), remaining);
    function fail(error: unknown) {
      clearTimeout(timer);
      if (error instanceof BlockedDestinationError || error instanceof OutboundNetworkError) return reject(error);
      const err = error as NodeJS.ErrnoException;
      reject(new OutboundNetworkError(`Request to ${url.origin} failed: ${err.message}`, err.code ?? "network_error"));
    }
    req.on("error", fail);
    if (bodyBuffer) req.write(bodyBuffer);
    req.end();
  });
}
