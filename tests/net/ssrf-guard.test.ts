// The SSRF guard: internal destinations are refused unless the workspace allows the host;
// redirects are checked like the first request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertHostAllowed } from "@/lib/net/assert-host-allowed";
import { BlockedDestinationError, guardedRequest } from "@/lib/net/guarded-request";
import { blockedAddressReason } from "@/lib/net/is-blocked-address";
import { startTestServer, type TestServer } from "../helpers/flows-and-receivers";

describe("SSRF guard", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((request) =>
      request.url === "/to-metadata"
        ? { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } }
        : request.url === "/to-self"
          ? { status: 302, headers: { location: "/final" } }
          : { status: 200, body: { path: request.url } },
    );
  });
  afterAll(() => server.close());

  it("classifies internal addresses", () => {
    expect(blockedAddressReason("127.0.0.1")).toBe("loopback");
    expect(blockedAddressReason("10.0.0.8")).toBe("private");
    expect(blockedAddressReason("192.168.1.1")).toBe("private");
    expect(blockedAddressReason("172.16.5.4")).toBe("private");
    expect(blockedAddressReason("169.254.169.254")).toBe("linkLocal");
    expect(blockedAddressReason("0.0.0.0")).toBe("unspecified");
    expect(blockedAddressReason("::1")).toBe("loopback");
    expect(blockedAddressReason("::")).toBe("unspecified");
    expect(blockedAddressReason("fd12:3456::1")).toBe("uniqueLocal");
    expect(blockedAddressReason("fe80::1")).toBe("linkLocal");
    expect(blockedAddressReason("::ffff:127.0.0.1")).toBe("loopback");
    expect(blockedAddressReason("::ffff:169.254.169.254")).toBe("linkLocal");
    expect(blockedAddressReason("100.64.0.1")).toBe("carrierGradeNat");
    expect(blockedAddressReason("8.8.8.8")).toBeNull();
    expect(blockedAddressReason("2606:4700:4700::1111")).toBeNull();
  });

  it("refuses loopback without an allowlist", async () => {
    const error = await guardedRequest({ method: "GET", url: `${server.url}/x` }).catch((e) => e);
    expect(error).toBeInstanceOf(BlockedDestinationError);
    expect(error.message).toContain("Refused to connect to 127.0.0.1 (127.0.0.1): loopback addresses are not reachable from flows");
    // The same name as the Settings page field, so the user can find it.
    expect(error.message).toContain("under Settings → Workspace → Allowed internal hosts");
    expect(server.requests.some((request) => request.url === "/x")).toBe(false);
  });

  it("refuses a host name that resolves to loopback (checked at connect time)", async () => {
    const error = await guardedRequest({ method: "GET", url: `http://localhost:${server.port}/by-name` }).catch((e) => e);
    expect(error).toBeInstanceOf(BlockedDestinationError);
    expect(error.message).toMatch(/Refused to connect to localhost \((127\.0\.0\.1|::1)\): loopback/);
  });

  it("refuses the metadata address and IPv4-mapped IPv6 literals", async () => {
    await expect(guardedRequest({ method: "GET", url: "http://169.254.169.254/latest/meta-data/", timeoutMs: 2000 })).rejects.toThrow(/linkLocal addresses/);
    await expect(guardedRequest({ method: "GET", url: `http://[::ffff:127.0.0.1]:${server.port}/`, timeoutMs: 2000 })).rejects.toThrow(/loopback addresses/);
  });

  it("reaches an allowed host, by name or by CIDR", async () => {
    const byName = await guardedRequest({ method: "GET", url: `${server.url}/ok`, allowedHosts: ["127.0.0.1"] });
    expect(byName.status).toBe(200);
    expect(JSON.parse(byName.body.toString())).toEqual({ path: "/ok" });
    const byCidr = await guardedRequest({ method: "GET", url: `http://localhost:${server.port}/cidr`, allowedHosts: ["127.0.0.0/8", "::1/128"] });
    expect(byCidr.status).toBe(200);
  });

  it("checks every redirect target", async () => {
    const followed = await guardedRequest({ method: "GET", url: `${server.url}/to-self`, allowedHosts: ["127.0.0.1"] });
    expect(followed.url).toBe(`${server.url}/final`);
    const error = await guardedRequest({ method: "GET", url: `${server.url}/to-metadata`, allowedHosts: ["127.0.0.1"], timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(BlockedDestinationError);
    expect(error.message).toContain("169.254.169.254");
  });

  it("applies the same rules to SMTP hosts", async () => {
    await expect(assertHostAllowed("127.0.0.1", [])).rejects.toThrow(/loopback/);
    await expect(assertHostAllowed("localhost", [])).rejects.toThrow(/loopback/);
    await expect(assertHostAllowed("127.0.0.1", ["127.0.0.1"])).resolves.toBe("127.0.0.1");
  });

  it("rejects non-HTTP schemes", async () => {
    await expect(guardedRequest({ method: "GET", url: "file:///etc/passwd" })).rejects.toThrow("Only http and https URLs are allowed, not file:");
  });
});
