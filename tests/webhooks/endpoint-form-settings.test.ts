// The trigger inspector saves every endpoint setting in one PATCH: a pasted provider secret (never
// answered back), a generated one (answered once), rotation with a grace period, IP ranges and
// the rest, validated by the same schema the form uses.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEndpointSecurity, endpointViewSchema, updateEndpointInput } from "@/lib/webhooks/endpoints/endpoint-input";
import { getEndpoint, updateEndpointSettings } from "@/lib/webhooks/endpoints/manage-endpoints";
import { parseEndpointSettings } from "@/lib/webhooks/endpoints/endpoint-settings";
import { describeEachDatabase } from "../helpers/databases";
import { createFixture, post, startHookServer, type HookServer } from "./hook-fixtures";

const STRIPE_SECRET = "whsec_pastedFromTheStripeDashboard9f3K";
const stripeHeader = (secret: string, body: string, ts = Math.floor(Date.now() / 1000)) =>
  `t=${ts},v1=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;

describeEachDatabase("endpoint settings saved from the trigger inspector", (getDb) => {
  let server: HookServer;
  beforeAll(async () => {
    server = await startHookServer(getDb());
  });
  afterAll(async () => {
    await server.close();
  });

  it("stores a pasted Stripe secret encrypted, never answers it, and verifies with it", async () => {
    const f = await createFixture(getDb(), "payment_trigger");
    const prisma = getDb().prisma;
    const result = await updateEndpointSettings(prisma, f.workspaceId, f.endpointId, {
      authScheme: "stripe",
      authConfig: { toleranceSeconds: 300 },
      newSecret: { secret: `  ${STRIPE_SECRET}\n`, graceHours: 0 },
      ipAllowlist: ["127.0.0.1/32", "2001:db8::/32"],
    });
    expect(result.secret).toBeUndefined();
    expect(JSON.stringify(result)).not.toContain(STRIPE_SECRET);
    expect(result.endpoint).toMatchObject({ hasSecret: true, secretHint: "…9f3K", ipAllowlist: ["127.0.0.1/32", "2001:db8::/32"] });
    const view = await getEndpoint(prisma, f.workspaceId, f.endpointId);
    expect(JSON.stringify(view)).not.toContain(STRIPE_SECRET);
    const row = await prisma.endpoint.findUniqueOrThrow({ where: { id: f.endpointId } });
    expect(row.secretEncrypted).not.toContain("pastedFromTheStripe");

    const body = JSON.stringify({ id: "evt_1", type: "checkout.session.completed" });
    expect((await post(server, f.token, body, { "stripe-signature": stripeHeader(STRIPE_SECRET, body) })).status).toBe(202);
    const unsigned = await post(server, f.token, JSON.stringify({ id: "evt_2", type: "checkout.session.completed" }));
    expect([unsigned.status, unsigned.json.error?.code]).toEqual([401, "unauthorized"]);
  });

  it("refuses requests from outside the saved IP ranges", async () => {
    const f = await createFixture(getDb());
    await updateEndpointSettings(getDb().prisma, f.workspaceId, f.endpointId, { authScheme: "none", ipAllowlist: ["203.0.113.0/24"] });
    const refused = await post(server, f.token, "{}");
    expect([refused.status, refused.json.error?.code]).toEqual([403, "ip_not_allowed"]);
  });

  it("refuses a pasted secret in the wrong format for its scheme, also when the scheme is not in the request", async () => {
    const f = await createFixture(getDb(), "payment_trigger");
    const prisma = getDb().prisma;
    await expect(updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { authScheme: "stripe", newSecret: { secret: "sk_live_not_a_webhook_secret" } })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["newSecret", "secret"], message: 'Stripe signing secrets start with "whsec_"' })],
    });
    await expect(updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { newSecret: { secret: "sk_live_not_a_webhook_secret" } })).rejects.toThrow(/start with "whsec_"/);
    await expect(updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { authScheme: "github", newSecret: { secret: "two words here" } })).rejects.toThrow(/no spaces/);
  });

  it("answers a generated secret once and keeps the replaced one valid for the grace period", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "github", secret: "the-old-github-secret" });
    const prisma = getDb().prisma;
    const { secret, endpoint } = await updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { authScheme: "github", newSecret: { graceHours: 24 } });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(endpoint.secretHint).toBe(`…${secret!.slice(-4)}`);
    expect(endpoint.previousSecretExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(JSON.stringify(await getEndpoint(prisma, f.workspaceId, f.endpointId))).not.toContain(secret);
    const gh = (s: string) => ({ "x-hub-signature-256": `sha256=${createHmac("sha256", s).update("{}").digest("hex")}` });
    expect((await post(server, f.token, "{}", gh(secret!))).status).toBe(202);
    expect((await post(server, f.token, "{}", gh("the-old-github-secret"))).status).toBe(202);

    // Without a grace period the replaced secret stops working at once.
    await updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { newSecret: { secret: "a-third-github-secret", graceHours: 0 } });
    expect((await post(server, f.token, "{}", gh(secret!))).status).toBe(401);
    expect((await post(server, f.token, "{}", gh("a-third-github-secret"))).status).toBe(202);
  });

  it("a dedupe window lets a key repeat as a new event once the window has passed; without one it never does", async () => {
    const f = await createFixture(getDb());
    const prisma = getDb().prisma;
    await updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { dedupe: { source: "header", header: "x-event-id", windowSeconds: 600 } });
    const send = () => post(server, f.token, "{}", { "x-event-id": "evt_42" });
    const first = await send();
    expect(first.status).toBe(202);
    expect((await send()).json).toMatchObject({ duplicate: true, deliveryId: first.json.deliveryId });

    // Eleven minutes later the same id is a new event, and then the new one is what repeats match.
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    await prisma.webhookDelivery.update({ where: { id: first.json.deliveryId! }, data: { receivedAt: ago(11) } });
    const later = await send();
    expect(later.status).toBe(202);
    expect(later.json.runId).not.toBe(first.json.runId);
    expect((await send()).json).toMatchObject({ duplicate: true, deliveryId: later.json.deliveryId });

    // Without a window the key blocks repeats as long as its delivery is kept.
    await updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { dedupe: { source: "header", header: "x-event-id" } });
    await prisma.webhookDelivery.update({ where: { id: later.json.deliveryId! }, data: { receivedAt: ago(60 * 24 * 30) } });
    expect((await send()).json).toMatchObject({ duplicate: true, deliveryId: later.json.deliveryId });
  });

  it("saves limits, dedupe, event filter, CORS, trusted proxies and response mode together", async () => {
    const f = await createFixture(getDb(), "payment_trigger");
    const { endpoint } = await updateEndpointSettings(getDb().prisma, f.workspaceId, f.endpointId, {
      authScheme: "stripe",
      authConfig: { toleranceSeconds: 600 },
      maxBodyBytes: 256 * 1024,
      rateLimitPerMinute: 120,
      dedupe: { source: "header", header: "Idempotency-Key" },
      responseMode: "sync",
      syncTimeoutMs: 5000,
      settings: { eventTypes: ["invoice.*"], eventTypePath: "type", corsOrigins: ["https://shop.example"], trustedProxies: ["10.0.0.0/8"] },
    });
    expect(endpoint).toMatchObject({
      authConfig: { toleranceSeconds: 600 },
      maxBodyBytes: 262144,
      rateLimitPerMinute: 120,
      dedupe: { source: "header", header: "idempotency-key" },
      responseMode: "sync",
      syncTimeoutMs: 5000,
      settings: { eventTypes: ["invoice.*"], corsOrigins: ["https://shop.example"], trustedProxies: ["10.0.0.0/8"] },
    });
    // Unchanged preset settings survive a partial settings patch.
    expect(endpoint.settings.acceptedContentTypes).toEqual(["application/json"]);
  });
});

describe("the endpoint input schema the form shares with the API", () => {
  const issues = (input: unknown) => {
    const result = updateEndpointInput.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => [i.path.join("."), i.message]);
  };

  it("names the exact line of a bad IP range, trusted proxy or CORS origin", () => {
    expect(issues({ ipAllowlist: ["10.0.0.0/8", "10.0.0.0/33"] })).toEqual([["ipAllowlist.1", "Not an IP address or CIDR range (e.g. 203.0.113.0/24 or 2001:db8::/32)"]]);
    expect(issues({ settings: { trustedProxies: ["proxy.local"] } })).toEqual([["settings.trustedProxies.0", "Not an IP address or CIDR range (e.g. 203.0.113.0/24 or 2001:db8::/32)"]]);
    expect(issues({ settings: { corsOrigins: ["https://ok.example", "https://a.example/path"] } })[0]?.[0]).toBe("settings.corsOrigins.1");
    expect(issues({ ipAllowlist: ["192.0.2.7", "2001:db8::/32"], settings: { trustedProxies: ["10.0.0.0/8"] } })).toEqual([]);
  });

  it("checks scheme settings and a pasted secret against the chosen scheme", () => {
    expect(issues({ authScheme: "hmac", authConfig: { headerName: "bad header", encoding: "hex", prefix: "" } })[0]?.[0]).toBe("authConfig.headerName");
    expect(issues({ authScheme: "stripe", authConfig: { toleranceSeconds: 0 } })[0]?.[0]).toBe("authConfig.toleranceSeconds");
    expect(issues({ authScheme: "standard_webhooks", newSecret: { secret: "whsec_not base64!" } })[0]?.[0]).toBe("newSecret.secret");
    expect(issues({ authScheme: "standard_webhooks", newSecret: { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" } })).toEqual([]);
    expect(issues({ authScheme: "slack", newSecret: { secret: "8f742231b10e8888abcd99yyyzzz85a5" } })).toEqual([]);
  });

  it("gives limits messages a user can act on", () => {
    expect(issues({ maxBodyBytes: 50 * 1024 * 1024 })).toEqual([["maxBodyBytes", "The body size limit is at most 10 MB"]]);
    expect(issues({ rateLimitPerMinute: 0 })).toEqual([["rateLimitPerMinute", "Allow at least 1 request per minute, or leave empty for no limit"]]);
    expect(issues({ syncTimeoutMs: 60_000 })[0]?.[0]).toBe("syncTimeoutMs");
    expect(issues({ dedupe: { source: "body", path: "" } })[0]?.[0]).toBe("dedupe.path");
  });
});

describe("the security summary on the trigger node", () => {
  const view = (changes: object) =>
    endpointViewSchema.parse({
      id: "e", flowId: "f", nodeId: "n", url: "u", testUrl: "u/test", preset: "payment", authScheme: "none", authConfig: {}, hasSecret: false, secretHint: null,
      previousSecretExpiresAt: null, maxBodyBytes: 1024, rateLimitPerMinute: null, ipAllowlist: [], dedupe: null, responseMode: "async",
      syncTimeoutMs: 10000, settings: parseEndpointSettings({}), enabled: true, disabledReason: null, refusalsNotStored: 0, lastRefusalNotStoredAt: null, createdAt: "2026-11-27T00:00:00Z", updatedAt: "2026-11-27T00:00:00Z",
      ...changes,
    });

  it("reads like the issue's example", () => {
    expect(describeEndpointSecurity(view({ authScheme: "stripe", ipAllowlist: ["3.18.12.63/32", "3.130.192.231/32"], dedupe: { source: "body", path: "id" } }))).toBe(
      "Stripe signature · 2 IPs · dedupe on id",
    );
    expect(describeEndpointSecurity(view({}))).toBe("No signature");
    expect(describeEndpointSecurity(view({ authScheme: "hmac", ipAllowlist: ["10.0.0.0/8"], rateLimitPerMinute: 60, responseMode: "sync", enabled: false }))).toBe(
      "Disabled · HMAC signature · 1 IP · 60/min · waits for Respond",
    );
  });
});
