import { createHmac } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { invalidateEndpointCache } from "@/lib/webhooks/ingress/endpoint-cache";
import { getEndpoint, listEndpoints, rotateEndpointSecret, rotateEndpointToken, setEndpointEnabled, updateEndpointSettings } from "@/lib/webhooks/endpoints/manage-endpoints";
import { syncFlowEndpoints } from "@/lib/webhooks/endpoints/sync-endpoints";
import { describeEachDatabase } from "../helpers/databases";
import { createFixture, post, startHookServer, type HookServer } from "./hook-fixtures";

const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describeEachDatabase("endpoint management", (getDb) => {
  let server: HookServer;
  beforeAll(async () => {
    server = await startHookServer(getDb());
  });
  afterAll(async () => {
    await server.close();
  });

  it("creates one endpoint per trigger node with preset defaults, disables removed triggers and revives them", async () => {
    const f = await createFixture(getDb(), "form_trigger");
    const prisma = getDb().prisma;
    const node = (id: string, kind: string) => ({ id, kind, name: id, config: {}, position: { x: 0, y: 0 } });
    const graph = { nodes: [node("trigger", "form_trigger"), node("pay", "payment_trigger"), node("cms", "content_trigger"), node("x", "http_request")], edges: [] };
    await syncFlowEndpoints(prisma, { workspaceId: f.workspaceId, flowId: f.flowId, graph });
    await syncFlowEndpoints(prisma, { workspaceId: f.workspaceId, flowId: f.flowId, graph }); // idempotent
    const endpoints = await listEndpoints(prisma, f.workspaceId, { flowId: f.flowId });
    expect(endpoints.map((e) => [e.nodeId, e.preset, e.authScheme, e.hasSecret, e.enabled])).toEqual([
      ["trigger", "form", "none", false, true],
      ["pay", "payment", "stripe", true, true],
      ["cms", "content", "standard_webhooks", true, true],
    ]);
    const tokens = (await prisma.endpoint.findMany({ where: { flowId: f.flowId } })).map((e) => e.token);
    expect(tokens.every((t) => /^[A-Za-z0-9_-]{32}$/.test(t))).toBe(true); // 192 bits, base64url
    const pay = endpoints.find((e) => e.nodeId === "pay")!;
    expect(pay.url).toMatch(/\/api\/hooks\/[A-Za-z0-9_-]{32}$/);
    expect(pay.dedupe).toEqual({ source: "body", path: "id" });

    await syncFlowEndpoints(prisma, { workspaceId: f.workspaceId, flowId: f.flowId, graph: { nodes: [node("trigger", "form_trigger")], edges: [] } });
    const after = await listEndpoints(prisma, f.workspaceId, { flowId: f.flowId });
    expect(after.map((e) => [e.nodeId, e.enabled, e.disabledReason])).toEqual([
      ["trigger", true, null],
      ["pay", false, "node_removed"],
      ["cms", false, "node_removed"],
    ]);
    await syncFlowEndpoints(prisma, { workspaceId: f.workspaceId, flowId: f.flowId, graph });
    const revived = await getEndpoint(prisma, f.workspaceId, pay.id);
    expect([revived.enabled, revived.url]).toEqual([true, pay.url]);
  });

  it("gives a trigger node that changes kind the new preset's configuration under the same URL", async () => {
    const f = await createFixture(getDb(), "webhook_trigger");
    const prisma = getDb().prisma;
    const before = await getEndpoint(prisma, f.workspaceId, f.endpointId);
    const graph = { nodes: [{ id: "trigger", kind: "payment_trigger", name: "Stripe", config: {}, position: { x: 0, y: 0 } }], edges: [] };
    await syncFlowEndpoints(prisma, { workspaceId: f.workspaceId, flowId: f.flowId, graph });
    const after = await getEndpoint(prisma, f.workspaceId, f.endpointId);
    expect(after).toMatchObject({ url: before.url, preset: "payment", authScheme: "stripe", hasSecret: true, dedupe: { source: "body", path: "id" } });
    expect(before).toMatchObject({ preset: "generic", authScheme: "none", hasSecret: false });
  });

  it("never shows another workspace's endpoints", async () => {
    const a = await createFixture(getDb());
    const b = await createFixture(getDb());
    await expect(getEndpoint(getDb().prisma, b.workspaceId, a.endpointId)).rejects.toThrow(/Endpoint not found/);
    await expect(rotateEndpointToken(getDb().prisma, b.workspaceId, a.endpointId)).rejects.toThrow(/Endpoint not found/);
    expect((await listEndpoints(getDb().prisma, b.workspaceId)).map((e) => e.id)).toEqual([b.endpointId]);
  });

  it("rotating the token makes the old URL answer 410 and the new one work", async () => {
    const f = await createFixture(getDb());
    expect((await post(server, f.token, "{}")).status).toBe(202);
    const rotated = await rotateEndpointToken(getDb().prisma, f.workspaceId, f.endpointId);
    const newToken = rotated.url.split("/").pop()!;
    expect(newToken).not.toBe(f.token);
    const old = await post(server, f.token, "{}");
    expect(old.status).toBe(410);
    expect(old.json.error?.code).toBe("token_retired");
    expect((await post(server, newToken, "{}")).status).toBe(202);
    const reasons = (await getDb().prisma.webhookDelivery.findMany({ where: { endpointId: f.endpointId }, orderBy: { receivedAt: "asc" } })).map((d) => d.reason);
    expect(reasons).toEqual([null, "token_retired", null]);
  });

  it("rotating the secret keeps the previous one valid during the grace period only", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: "old-secret" });
    const { secret, previousSecretValidUntil } = await rotateEndpointSecret(getDb().prisma, f.workspaceId, f.endpointId, { graceHours: 1 });
    expect(previousSecretValidUntil).not.toBeNull();
    expect((await post(server, f.token, "{}", { "x-signature": sign(secret, "{}") })).status).toBe(202);
    expect((await post(server, f.token, "{}", { "x-signature": sign("old-secret", "{}") })).status).toBe(202);

    await getDb().prisma.endpoint.update({ where: { id: f.endpointId }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    invalidateEndpointCache();
    expect((await post(server, f.token, "{}", { "x-signature": sign("old-secret", "{}") })).status).toBe(401);

    const given = await rotateEndpointSecret(getDb().prisma, f.workspaceId, f.endpointId, { secret: "whsec_from_provider", graceHours: 0 });
    expect(given.secret).toBe("whsec_from_provider");
    expect((await post(server, f.token, "{}", { "x-signature": sign(secret, "{}") })).status).toBe(401);
  });

  it("disabling and enabling takes effect immediately", async () => {
    const f = await createFixture(getDb());
    await setEndpointEnabled(getDb().prisma, f.workspaceId, f.endpointId, false);
    expect((await post(server, f.token, "{}")).status).toBe(423);
    await setEndpointEnabled(getDb().prisma, f.workspaceId, f.endpointId, true);
    expect((await post(server, f.token, "{}")).status).toBe(202);
  });

  it("validates settings with clear messages and generates a secret when a scheme needs one", async () => {
    const f = await createFixture(getDb());
    const prisma = getDb().prisma;
    await expect(updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { ipAllowlist: ["10.0.0.0/33"] })).rejects.toThrow(/not an IP address or CIDR range/i);
    await expect(updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { settings: { corsOrigins: ["https://a.example/path"] } })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["settings", "corsOrigins", 0] })],
    });
    await expect(updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { maxBodyBytes: 50 * 1024 * 1024 })).rejects.toThrow();
    await expect(updateEndpointSettings(prisma, f.workspaceId, f.endpointId, { dedupe: { source: "body", path: "$broken(" } })).rejects.toThrow(/valid JSONata/);

    const { endpoint, secret } = await updateEndpointSettings(prisma, f.workspaceId, f.endpointId, {
      authScheme: "bearer",
      rateLimitPerMinute: 100,
      settings: { corsOrigins: ["https://a.example"] },
    });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(endpoint).toMatchObject({ authScheme: "bearer", hasSecret: true, rateLimitPerMinute: 100 });
    expect((endpoint.settings as { corsOrigins: string[]; acceptedContentTypes: string[] }).corsOrigins).toEqual(["https://a.example"]);
    expect((endpoint.settings as { acceptedContentTypes: string[] }).acceptedContentTypes).toContain("application/json");
    expect((await post(server, f.token, "{}")).status).toBe(401);
    expect((await post(server, f.token, "{}", { authorization: `Bearer ${secret}` })).status).toBe(202);
  });
});
