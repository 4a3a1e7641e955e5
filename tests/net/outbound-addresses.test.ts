// Every outbound connection dials the address the SSRF guard checked (issue 15, item 14): SMTP
// connects to the address that was resolved and checked, and IPv6 forms that carry an IPv4
// address are judged by the IPv4 rules.
import dns from "node:dns";
import dnsPromises from "node:dns/promises";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { BlockedDestinationError, guardedRequest } from "@/lib/net/guarded-request";
import { blockedAddressReason } from "@/lib/net/is-blocked-address";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/databases";
import { createHarness, type Harness } from "../nodes/node-harness";

describe("IPv6 forms of IPv4 addresses", () => {
  it("judges IPv4-compatible, NAT64 and 6to4 addresses by the IPv4 address inside", () => {
    expect(blockedAddressReason("::7f00:1")).toBe("loopback"); // ::127.0.0.1
    expect(blockedAddressReason("::a9fe:a9fe")).toBe("linkLocal"); // ::169.254.169.254
    expect(blockedAddressReason("::a00:5")).toBe("private"); // ::10.0.0.5
    expect(blockedAddressReason("64:ff9b::7f00:1")).toBe("loopback");
    expect(blockedAddressReason("64:ff9b::a9fe:a9fe")).toBe("linkLocal");
    expect(blockedAddressReason("2002:7f00:1::")).toBe("loopback"); // 6to4 of 127.0.0.1
    expect(blockedAddressReason("2002:c0a8:101::1")).toBe("private"); // 6to4 of 192.168.1.1
    // …and public IPv4 addresses in those forms are public.
    expect(blockedAddressReason("64:ff9b::808:808")).toBeNull();
    expect(blockedAddressReason("2002:808:808::1")).toBeNull();
    // :: and ::1 keep their IPv6 meaning.
    expect(blockedAddressReason("::1")).toBe("loopback");
    expect(blockedAddressReason("::")).toBe("unspecified");
  });

  it("refuses an HTTP request to an IPv4-compatible loopback literal", async () => {
    const error = await guardedRequest({ method: "GET", url: "http://[::7f00:1]:9/", timeoutMs: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(BlockedDestinationError);
    expect(error.message).toContain("loopback addresses are not reachable from flows");
  });
});

describe("SMTP connects to the address that was checked", () => {
  let db: TestDatabase;
  let h: Harness;
  let port = 0;
  const servers: SMTPServer[] = [];
  const received: { server: string; to: string[] }[] = [];

  function smtpOn(host: string, listenPort: number): Promise<number> {
    const server = new SMTPServer({
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, session, callback) {
        stream.resume();
        stream.on("end", () => {
          received.push({ server: host, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    servers.push(server);
    return new Promise((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(listenPort, host, () => resolve((server.server.address() as AddressInfo).port));
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await createHarness(db);
    // The allowed mail server on 127.0.0.2, an internal one the workspace never allowed on 127.0.0.1, same port.
    port = await smtpOn("127.0.0.2", 0);
    await smtpOn("127.0.0.1", port);
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.destroy();
  });

  it("sends to the checked address even when a second lookup would answer differently (DNS rebinding)", async () => {
    // The first answer for mail.rebind.test is the allowed 127.0.0.2; every later one is 127.0.0.1.
    vi.spyOn(dnsPromises, "lookup").mockImplementation((async () => [{ address: "127.0.0.2", family: 4 }]) as never);
    const rebound = (_host: string, ...args: unknown[]) => (args.at(-1) as (e: null, a: string[]) => void)(null, ["127.0.0.1"]);
    vi.spyOn(dns.Resolver.prototype, "resolve4").mockImplementation(rebound as never);
    vi.spyOn(dns.Resolver.prototype, "resolve6").mockImplementation(((_host: string, ...args: unknown[]) =>
      (args.at(-1) as (e: Error) => void)(Object.assign(new Error("no AAAA"), { code: "ENODATA" }))) as never);
    vi.spyOn(dns, "lookup").mockImplementation(((_host: string, ...args: unknown[]) =>
      (args.at(-1) as (e: null, a: unknown) => void)(null, [{ address: "127.0.0.1", family: 4 }])) as never);

    const credentialId = await h.credential("smtp", { host: "mail.rebind.test", port, secure: false, user: "", password: "", from: "robot@acme.test" });
    await h.run("send_email", { credentialId, to: "ada@example.com", subject: "Hi", text: "Hello" }, { allowedHosts: ["127.0.0.2"] });
    expect(received).toEqual([{ server: "127.0.0.2", to: ["ada@example.com"] }]);
  });
});
