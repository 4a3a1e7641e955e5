// The sign-in rate limit keys on the socket's address, not on a client's X-Forwarded-For
// (issue 15, item 8), through the same stamping server.ts does before handing requests to Next.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAuth, type Auth } from "@/lib/auth/auth";
import { stampClientAddress } from "@/lib/auth/client-address";
import { setProcessDatabase } from "@/lib/db";
import { parseCidrList, type CidrRange } from "@/lib/webhooks/ingress/client-ip";
import { BASE, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";

describeEachDatabase("sign-in rate limit", (getDb) => {
  let auth: Auth;
  let server: Server;
  let url = "";
  let proxies: CidrRange[] = [];

  async function toRequest(req: IncomingMessage): Promise<Request> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    return new Request(`${BASE}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
  }

  beforeAll(async () => {
    setProcessDatabase(getDb());
    auth = createAuth(getDb(), { rateLimit: true });
    server = createServer((req, res) => {
      stampClientAddress(req, proxies);
      void toRequest(req)
        .then((request) => auth.handler(request))
        .then(async (response) => {
          res.writeHead(response.status, { "content-type": "application/json" });
          res.end(await response.text());
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const wrongPassword = (email: string, forwardedFor: string) =>
    fetch(`${url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": forwardedFor },
      body: JSON.stringify({ email, password: "wrong password!" }),
    }).then((res) => res.status);

  it("answers 429 once one socket address has used up its attempts, whatever X-Forwarded-For says", async () => {
    await signUp(auth, "target@example.com");
    const statuses = [];
    for (let i = 1; i <= 6; i++) statuses.push(await wrongPassword("target@example.com", `198.51.100.${i}`));
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });

  it("believes X-Forwarded-For from a trusted proxy: each client behind it has its own budget", async () => {
    proxies = parseCidrList(["127.0.0.0/8"]);
    expect(await wrongPassword("target@example.com", "203.0.113.7")).toBe(401);
    expect(await wrongPassword("target@example.com", "203.0.113.8")).toBe(401);
    // A client cannot escape by prepending forged hops: the proxy's right-most entry counts.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await wrongPassword("target@example.com", `6.6.6.${i}, 203.0.113.7`));
    expect(statuses).toEqual([401, 401, 429]);
  });
});
