// Security headers and cookies (issue 15, item 9); e2e/security-headers.spec.ts checks them on the
// running app and that the UI works under the CSP.
import { afterEach, describe, expect, it } from "vitest";
import { createAuth } from "@/lib/auth/auth";
import { baseSecurityHeaders, contentSecurityPolicy } from "@/lib/config/security-headers";
import { setProcessDatabase } from "@/lib/db";
import { describeEachDatabase } from "../helpers/databases";

const publicUrl = process.env.PUBLIC_URL;
afterEach(() => {
  process.env.PUBLIC_URL = publicUrl;
});

describe("security headers", () => {
  it("allows eval only in development and frames never", () => {
    const production = contentSecurityPolicy("abc", { dev: false, https: false });
    expect(production).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(production).not.toContain("unsafe-eval");
    expect(production).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy("abc", { dev: true, https: false })).toContain("'unsafe-eval'");
  });

  it("sends HSTS and upgrades requests only when PUBLIC_URL is https", () => {
    expect(baseSecurityHeaders("https://switchyard.example.com")["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(baseSecurityHeaders("http://localhost:3000")["Strict-Transport-Security"]).toBeUndefined();
    expect(contentSecurityPolicy("n", { dev: false, https: true })).toContain("upgrade-insecure-requests");
    expect(baseSecurityHeaders("http://localhost:3000")).toMatchObject({ "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin" });
  });
});

describeEachDatabase("session cookies", (getDb) => {
  it("are Secure when PUBLIC_URL is https", async () => {
    process.env.PUBLIC_URL = "https://switchyard.example.com";
    setProcessDatabase(getDb());
    const auth = createAuth(getDb());
    const res = await auth.handler(
      new Request("https://switchyard.example.com/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://switchyard.example.com" },
        body: JSON.stringify({ email: "tls@example.com", password: "correct horse battery", name: "TLS" }),
      }),
    );
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/; Secure/i);
  });
});
