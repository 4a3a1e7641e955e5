import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseAuthConfig, verifyAuth, type AuthScheme } from "@/lib/webhooks/ingress/verify-auth";

const NOW = 1_700_000_000;
const body = Buffer.from('{"id":"evt_1","type":"checkout.session.completed","amount":4200}');
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER = "whsec_dGhpcyBpcyBhIGRpZmZlcmVudCBrZXkgMTIzNDU2";

const hmacHex = (key: string, data: string | Buffer) => createHmac("sha256", key).update(data).digest("hex");
const hmacB64 = (key: string, data: string | Buffer) => createHmac("sha256", key).update(data).digest("base64");
const swSign = (key: string, id: string, ts: number, payload: Buffer) =>
  createHmac("sha256", Buffer.from(key.replace(/^whsec_/, ""), "base64")).update(`${id}.${ts}.${payload}`).digest("base64");

interface SchemeCase {
  scheme: AuthScheme;
  config?: unknown;
  /** Headers a correct sender would send for `payload` at time `ts`. */
  sign(secret: string, payload: Buffer, ts: number): Record<string, string>;
  /** The header carrying the signature/token, to truncate it. */
  signatureHeader: string;
  timestamped: boolean;
}

const cases: SchemeCase[] = [
  { scheme: "header_token", config: { headerName: "X-Hook-Token" }, sign: (s) => ({ "x-hook-token": s }), signatureHeader: "x-hook-token", timestamped: false },
  { scheme: "bearer", sign: (s) => ({ authorization: `Bearer ${s}` }), signatureHeader: "authorization", timestamped: false },
  {
    scheme: "basic",
    config: { username: "acme" },
    sign: (s) => ({ authorization: `Basic ${Buffer.from(`acme:${s}`).toString("base64")}` }),
    signatureHeader: "authorization",
    timestamped: false,
  },
  {
    scheme: "hmac",
    config: { headerName: "X-Signature", encoding: "hex", prefix: "sha256=" },
    sign: (s, p) => ({ "x-signature": `sha256=${hmacHex(s, p)}` }),
    signatureHeader: "x-signature",
    timestamped: false,
  },
  {
    scheme: "standard_webhooks",
    sign: (s, p, ts) => ({ "webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": `v1,${swSign(s, "msg_1", ts, p)}` }),
    signatureHeader: "webhook-signature",
    timestamped: true,
  },
  {
    scheme: "stripe",
    sign: (s, p, ts) => ({ "stripe-signature": `t=${ts},v0=deadbeef,v1=${hmacHex(s, Buffer.concat([Buffer.from(`${ts}.`), p]))}` }),
    signatureHeader: "stripe-signature",
    timestamped: true,
  },
  { scheme: "github", sign: (s, p) => ({ "x-hub-signature-256": `sha256=${hmacHex(s, p)}` }), signatureHeader: "x-hub-signature-256", timestamped: false },
  { scheme: "shopify", sign: (s, p) => ({ "x-shopify-hmac-sha256": hmacB64(s, p) }), signatureHeader: "x-shopify-hmac-sha256", timestamped: false },
  { scheme: "typeform", sign: (s, p) => ({ "typeform-signature": `sha256=${hmacB64(s, p)}` }), signatureHeader: "typeform-signature", timestamped: false },
  {
    scheme: "slack",
    sign: (s, p, ts) => ({ "x-slack-request-timestamp": String(ts), "x-slack-signature": `v0=${hmacHex(s, `v0:${ts}:${p}`)}` }),
    signatureHeader: "x-slack-signature",
    timestamped: true,
  },
];

function verify(c: SchemeCase, headers: IncomingHttpHeaders, payload: Buffer, secrets: string[], nowSeconds = NOW) {
  vi.setSystemTime(nowSeconds * 1000); // standardwebhooks reads Date.now()
  return verifyAuth({ scheme: c.scheme, config: parseAuthConfig(c.scheme, c.config), headers, rawBody: payload, secrets, nowSeconds });
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each(cases)("$scheme", (c) => {
  it("accepts a correctly signed request", () => {
    vi.useFakeTimers();
    expect(verify(c, c.sign(SECRET, body, NOW), body, [SECRET])).toEqual({ ok: true });
  });

  it("rejects a request signed with the wrong secret", () => {
    vi.useFakeTimers();
    const result = verify(c, c.sign(OTHER, body, NOW), body, [SECRET]);
    expect(result).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("rejects a tampered body", () => {
    vi.useFakeTimers();
    const headers = c.sign(SECRET, body, NOW);
    const tampered = Buffer.from(body.toString().replace("4200", "1"));
    const result = verify(c, headers, tampered, [SECRET]);
    if (["header_token", "bearer", "basic"].includes(c.scheme)) {
      expect(result).toEqual({ ok: true }); // token schemes do not sign the body
    } else {
      expect(result).toMatchObject({ ok: false, reason: "bad_signature" });
    }
  });

  it("rejects a request without its headers", () => {
    vi.useFakeTimers();
    expect(verify(c, {}, body, [SECRET])).toMatchObject({ ok: false, reason: "missing_credentials" });
  });

  it("rejects a truncated signature", () => {
    vi.useFakeTimers();
    const headers = c.sign(SECRET, body, NOW);
    headers[c.signatureHeader] = headers[c.signatureHeader].slice(0, -4);
    const result = verify(c, headers, body, [SECRET]);
    expect(result.ok).toBe(false);
  });

  it("keeps the previous secret valid during rotation, and only the listed secrets", () => {
    vi.useFakeTimers();
    expect(verify(c, c.sign(OTHER, body, NOW), body, [SECRET, OTHER])).toEqual({ ok: true });
    expect(verify(c, c.sign(SECRET, body, NOW), body, [SECRET, OTHER])).toEqual({ ok: true });
    expect(verify(c, c.sign(OTHER, body, NOW), body, [SECRET]).ok).toBe(false);
  });

  it("refuses to accept anything without a configured secret", () => {
    vi.useFakeTimers();
    expect(verify(c, c.sign("", body, NOW), body, [])).toMatchObject({ ok: false, reason: "no_secret" });
  });

  if (c.timestamped) {
    it.each([301, -301])("rejects a timestamp %i s away from now, accepts 300 s", (offset) => {
      vi.useFakeTimers();
      const ts = NOW + offset;
      expect(verify(c, c.sign(SECRET, body, ts), body, [SECRET])).toMatchObject({ ok: false, reason: "timestamp_out_of_range" });
      const edge = NOW + Math.sign(offset) * 300;
      expect(verify(c, c.sign(SECRET, body, edge), body, [SECRET])).toEqual({ ok: true });
    });
  }
});

describe("published vectors", () => {
  it("Standard Webhooks: the specification's example verifies, a changed byte does not", () => {
    vi.useFakeTimers();
    vi.setSystemTime(1614265330 * 1000);
    const headers = {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    const input = { scheme: "standard_webhooks" as const, config: {}, headers, secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], nowSeconds: 1614265330 };
    expect(verifyAuth({ ...input, rawBody: Buffer.from('{"test": 2432232314}') })).toEqual({ ok: true });
    expect(verifyAuth({ ...input, rawBody: Buffer.from('{"test":2432232314}') })).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("Standard Webhooks: accepts the Svix header names and any one of several signatures", () => {
    vi.useFakeTimers();
    vi.setSystemTime(1614265330 * 1000);
    const headers = {
      "svix-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "svix-timestamp": "1614265330",
      "svix-signature": "v1,bm90IGl0IGF0IGFsbA== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    const result = verifyAuth({
      scheme: "standard_webhooks",
      config: {},
      headers,
      rawBody: Buffer.from('{"test": 2432232314}'),
      secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    });
    expect(result).toEqual({ ok: true });
  });

  it("GitHub: the documentation's example verifies", () => {
    const headers = { "x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" };
    const input = { scheme: "github" as const, config: {}, headers, secrets: ["It's a Secret to Everybody"] };
    expect(verifyAuth({ ...input, rawBody: Buffer.from("Hello, World!") })).toEqual({ ok: true });
    expect(verifyAuth({ ...input, rawBody: Buffer.from("Hello, World?") }).ok).toBe(false);
  });
});

describe("scheme settings", () => {
  it("names the problem in a bad header name", () => {
    expect(() => parseAuthConfig("hmac", { headerName: "X Sig" })).toThrow(/token characters/);
  });
  it("accepts base64 HMAC without a prefix", () => {
    const config = parseAuthConfig("hmac", { headerName: "X-Sig", encoding: "base64" });
    const result = verifyAuth({ scheme: "hmac", config, headers: { "x-sig": hmacB64("k", body) }, rawBody: body, secrets: ["k"] });
    expect(result).toEqual({ ok: true });
  });
});
