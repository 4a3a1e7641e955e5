import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import type { AuthConfig, AuthScheme } from "../endpoints/auth-schemes";
import { constantTimeEqual } from "@/lib/crypto/constant-time";

// Inbound authentication schemes. Every comparison of a secret or signature is constant-time,
// every signature is computed over the raw request bytes (never a re-serialized body), and a
// rotated-out secret keeps working until its grace period ends (the caller passes both).

export { AUTH_SCHEMES, DEFAULT_TOLERANCE_SECONDS, authConfigSchemas, isAuthScheme, parseAuthConfig, schemeNeedsSecret } from "../endpoints/auth-schemes";
export type { AuthConfig, AuthScheme } from "../endpoints/auth-schemes";

export interface VerifyAuthInput {
  scheme: AuthScheme;
  config: AuthConfig;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The current secret first, then a rotated-out one still inside its grace period. */
  secrets: string[];
  /** Clock for timestamped schemes, in seconds since the epoch. */
  nowSeconds?: number;
}

export type VerifyAuthResult = { ok: true } | { ok: false; reason: AuthFailureReason; message: string };
export type AuthFailureReason = "missing_credentials" | "bad_signature" | "timestamp_out_of_range" | "no_secret";

const ok: VerifyAuthResult = { ok: true };
const fail = (reason: AuthFailureReason, message: string): VerifyAuthResult => ({ ok: false, reason, message });

export function verifyAuth(input: VerifyAuthInput): VerifyAuthResult {
  if (input.scheme === "none") return ok;
  const secrets = input.secrets.filter((s) => s.length > 0);
  if (secrets.length === 0) return fail("no_secret", "This endpoint has no secret configured; set one in the trigger's settings.");
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  const h = (name: string) => headerValue(input.headers, name);
  switch (input.scheme) {
    case "header_token": {
      const { headerName: name } = input.config as AuthConfig<"header_token">;
      const given = h(name);
      if (!given) return fail("missing_credentials", `Missing the ${name} header.`);
      return anyMatches(secrets, (s) => constantTimeEqual(given, s)) ? ok : fail("bad_signature", `The ${name} header does not match.`);
    }
    case "bearer": {
      const match = /^Bearer\s+(.+)$/i.exec(h("authorization") ?? "");
      if (!match) return fail("missing_credentials", "Missing an Authorization: Bearer <token> header.");
      return anyMatches(secrets, (s) => constantTimeEqual(match[1].trim(), s)) ? ok : fail("bad_signature", "The bearer token does not match.");
    }
    case "basic": {
      const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(h("authorization") ?? "");
      if (!match) return fail("missing_credentials", "Missing an Authorization: Basic header.");
      const { username } = input.config as AuthConfig<"basic">;
      const given = Buffer.from(match[1], "base64").toString("utf8");
      return anyMatches(secrets, (s) => constantTimeEqual(given, `${username}:${s}`))
        ? ok
        : fail("bad_signature", "The basic-auth user name or password does not match.");
    }
    case "hmac": {
      const config = input.config as AuthConfig<"hmac">;
      const header = h(config.headerName);
      if (!header) return fail("missing_credentials", `Missing the ${config.headerName} signature header.`);
      const given = header.startsWith(config.prefix) ? header.slice(config.prefix.length) : null;
      if (given === null) return fail("bad_signature", `The ${config.headerName} header must start with "${config.prefix}".`);
      return anyMatches(secrets, (s) => constantTimeEqual(given.trim(), hmac(s, input.rawBody, config.encoding)))
        ? ok
        : fail("bad_signature", `The ${config.headerName} signature does not match the body.`);
    }
    case "standard_webhooks":
      return verifyStandardWebhooks(input.headers, input.rawBody, secrets);
    case "stripe":
      return verifyStripe(h("stripe-signature"), input.rawBody, secrets, now, (input.config as AuthConfig<"stripe">).toleranceSeconds);
    case "github": {
      const header = h("x-hub-signature-256");
      if (!header) return fail("missing_credentials", "Missing the X-Hub-Signature-256 header.");
      return anyMatches(secrets, (s) => constantTimeEqual(header, `sha256=${hmac(s, input.rawBody, "hex")}`))
        ? ok
        : fail("bad_signature", "The X-Hub-Signature-256 signature does not match the body.");
    }
    case "shopify": {
      const header = h("x-shopify-hmac-sha256");
      if (!header) return fail("missing_credentials", "Missing the X-Shopify-Hmac-Sha256 header.");
      return anyMatches(secrets, (s) => constantTimeEqual(header, hmac(s, input.rawBody, "base64")))
        ? ok
        : fail("bad_signature", "The X-Shopify-Hmac-Sha256 signature does not match the body.");
    }
    case "typeform": {
      const header = h("typeform-signature");
      if (!header) return fail("missing_credentials", "Missing the Typeform-Signature header.");
      return anyMatches(secrets, (s) => constantTimeEqual(header, `sha256=${hmac(s, input.rawBody, "base64")}`))
        ? ok
        : fail("bad_signature", "The Typeform-Signature does not match the body.");
    }
    case "slack":
      return verifySlack(input.headers, input.rawBody, secrets, now, (input.config as AuthConfig<"slack">).toleranceSeconds);
  }
}

function verifyStandardWebhooks(headers: IncomingHttpHeaders, rawBody: Buffer, secrets: string[]): VerifyAuthResult {
  // Svix sends the same protocol under svix-* names.
  const pick = (name: string) => headerValue(headers, `webhook-${name}`) ?? headerValue(headers, `svix-${name}`);
  const id = pick("id");
  const timestamp = pick("timestamp");
  const signature = pick("signature");
  if (!id || !timestamp || !signature) {
    return fail("missing_credentials", "Missing the webhook-id, webhook-timestamp or webhook-signature header.");
  }
  let outOfRange = false;
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(rawBody, { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature }, { jsonParse: false });
      return ok;
    } catch (error) {
      if (error instanceof WebhookVerificationError && /timestamp too (old|new)/i.test(error.message)) outOfRange = true;
      else if (!(error instanceof WebhookVerificationError)) {
        // A secret that is not valid base64 after "whsec_" cannot verify anything.
        continue;
      }
    }
  }
  return outOfRange
    ? fail("timestamp_out_of_range", "The webhook-timestamp is more than 5 minutes away from the server clock.")
    : fail("bad_signature", "No webhook-signature matches the body.");
}

function verifyStripe(header: string | undefined, rawBody: Buffer, secrets: string[], now: number, tolerance: number): VerifyAuthResult {
  if (!header) return fail("missing_credentials", "Missing the Stripe-Signature header.");
  let timestamp: string | undefined;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") timestamp = value;
    else if (key === "v1") v1.push(value);
    // Other schemes (v0, future ones) are ignored, as Stripe's own libraries do.
  }
  if (!timestamp || !/^\d+$/.test(timestamp) || v1.length === 0) {
    return fail("missing_credentials", "The Stripe-Signature header needs t=<timestamp> and at least one v1=<signature>.");
  }
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    return fail("timestamp_out_of_range", `The Stripe-Signature timestamp is more than ${tolerance} s away from the server clock.`);
  }
  const signed = Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
  return anyMatches(secrets, (s) => {
    const expected = hmac(s, signed, "hex");
    return v1.some((candidate) => constantTimeEqual(candidate, expected));
  })
    ? ok
    : fail("bad_signature", "No v1 signature in Stripe-Signature matches the body.");
}

function verifySlack(headers: IncomingHttpHeaders, rawBody: Buffer, secrets: string[], now: number, tolerance: number): VerifyAuthResult {
  const signature = headerValue(headers, "x-slack-signature");
  const timestamp = headerValue(headers, "x-slack-request-timestamp");
  if (!signature || !timestamp) return fail("missing_credentials", "Missing the X-Slack-Signature or X-Slack-Request-Timestamp header.");
  if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > tolerance) {
    return fail("timestamp_out_of_range", `X-Slack-Request-Timestamp is more than ${tolerance} s away from the server clock.`);
  }
  const signed = Buffer.concat([Buffer.from(`v0:${timestamp}:`), rawBody]);
  return anyMatches(secrets, (s) => constantTimeEqual(signature, `v0=${hmac(s, signed, "hex")}`))
    ? ok
    : fail("bad_signature", "The X-Slack-Signature does not match the body.");
}

function hmac(secret: string, data: Buffer, encoding: "hex" | "base64"): string {
  return createHmac("sha256", secret).update(data).digest(encoding);
}

// Checks every secret (no early exit) so timing does not reveal which one matched.
function anyMatches(secrets: string[], check: (secret: string) => boolean): boolean {
  let matched = false;
  for (const secret of secrets) if (check(secret)) matched = true;
  return matched;
}

/** One header's value; repeated headers are joined the way Node joins them. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value.join(", ");
  return value === undefined || value === "" ? undefined : value;
}
