import type { IncomingHttpHeaders } from "node:http";
import { collectFields } from "./parse-body";

const ALWAYS_SECRET = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "stripe-signature",
  "webhook-signature",
  "svix-signature",
  "x-hub-signature",
  "x-hub-signature-256",
  "x-shopify-hmac-sha256",
  "typeform-signature",
  "x-slack-signature",
]);
const LOOKS_SECRET = /token|secret|signature|password|api[-_]?key|auth/i;
export const REDACTED = "[redacted]";

/** Headers safe to store and show: secrets and signatures replaced, repeated headers joined. */
export function redactHeaders(headers: IncomingHttpHeaders, extraSecretHeaders: string[] = []): Record<string, string> {
  const extra = new Set(extraSecretHeaders.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const secret = ALWAYS_SECRET.has(name) || extra.has(name) || LOOKS_SECRET.test(name);
    out[name] = secret ? REDACTED : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Query parameters as an object (repeated keys become arrays), with secret-looking ones redacted. */
export function redactQuery(params: URLSearchParams): Record<string, string | string[]> {
  return collectFields(params, (key, value) => (LOOKS_SECRET.test(key) ? REDACTED : value));
}
