import { describe, expect, it } from "vitest";
import { ipInRanges, parseCidrList, resolveClientIp } from "@/lib/webhooks/ingress/client-ip";
import { RateLimiter } from "@/lib/webhooks/ingress/rate-limiter";
import { redactHeaders, redactQuery } from "@/lib/webhooks/ingress/redact-headers";

describe("IP allowlists", () => {
  const ranges = parseCidrList(["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"]);
  it("matches IPv4, IPv6 and single addresses, including IPv4-mapped IPv6 peers", () => {
    expect(ipInRanges("203.0.113.99", ranges)).toBe(true);
    expect(ipInRanges("::ffff:203.0.113.5", ranges)).toBe(true);
    expect(ipInRanges("2001:db8:1::1", ranges)).toBe(true);
    expect(ipInRanges("198.51.100.7", ranges)).toBe(true);
    expect(ipInRanges("198.51.100.8", ranges)).toBe(false);
    expect(ipInRanges("2001:db9::1", ranges)).toBe(false);
    expect(ipInRanges("not-an-ip", ranges)).toBe(false);
  });
  it("names a bad entry", () => {
    expect(() => parseCidrList(["10.0.0.0/8", "10.0.0.300"])).toThrow('"10.0.0.300" is not an IP address or CIDR range');
  });
});

describe("client address behind proxies", () => {
  const trusted = parseCidrList(["10.0.0.0/8"]);
  it("ignores X-Forwarded-For from an untrusted peer", () => {
    expect(resolveClientIp("192.0.2.1", "198.51.100.1", trusted)).toBe("192.0.2.1");
  });
  it("takes the right-most address that is not a trusted proxy", () => {
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.9", trusted)).toBe("198.51.100.1");
    expect(resolveClientIp("::ffff:10.0.0.2", "198.51.100.1", trusted)).toBe("198.51.100.1");
  });
  it("falls back to the peer when the chain holds garbage", () => {
    expect(resolveClientIp("10.0.0.2", "198.51.100.1, nonsense", trusted)).toBe("10.0.0.2");
  });
});

describe("rate limiter", () => {
  it("allows a burst of the per-minute limit, then asks to wait until a token refills", () => {
    const limiter = new RateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.take("e", 3, t0)).toEqual({ allowed: true });
    expect(limiter.take("e", 3, t0)).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(limiter.take("e", 3, t0 + 20_000)).toEqual({ allowed: true });
    expect(limiter.take("other", 3, t0)).toEqual({ allowed: true });
  });
});

describe("redaction", () => {
  it("hides credentials and signatures in headers and query strings", () => {
    const headers = redactHeaders(
      { authorization: "Bearer x", "x-hub-signature-256": "sha256=1", "x-my-hook": "t", "x-api-key": "k", "user-agent": "Stripe/1.0", cookie: "a=b" },
      ["x-my-hook"],
    );
    expect(headers).toEqual({
      authorization: "[redacted]",
      "x-hub-signature-256": "[redacted]",
      "x-my-hook": "[redacted]",
      "x-api-key": "[redacted]",
      "user-agent": "Stripe/1.0",
      cookie: "[redacted]",
    });
    expect(redactQuery(new URLSearchParams("token=abc&page=2&page=3"))).toEqual({ token: "[redacted]", page: ["2", "3"] });
  });
});
