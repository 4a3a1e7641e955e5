// The trigger's test URL (<webhook URL>/test): while someone listens for a test event, a request
// there is verified like any other, stored and shown, and starts no run, also on an active flow.
import { afterAll, beforeAll, expect, it } from "vitest";
import { invalidateEndpointCache } from "@/lib/webhooks/ingress/endpoint-cache";
import { subscribeToDeliveries, type DeliveryFeedItem } from "@/lib/webhooks/deliveries/delivery-feed";
import { getEndpoint } from "@/lib/webhooks/endpoints/manage-endpoints";
import { describeEachDatabase } from "../helpers/databases";
import { createFixture, post, startHookServer, type HookServer } from "./hook-fixtures";

describeEachDatabase("test URL", (getDb) => {
  let server: HookServer;
  beforeAll(async () => {
    server = await startHookServer(getDb());
  });
  afterAll(async () => {
    await server.close();
  });

  it("captures a listened-for test event on an active flow without starting a run", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "bearer", secret: "tok-123456789" });
    const prisma = getDb().prisma;
    expect((await getEndpoint(prisma, f.workspaceId, f.endpointId)).testUrl).toMatch(new RegExp(`/api/hooks/${f.token}/test$`));
    const seen: DeliveryFeedItem[] = [];
    const stop = subscribeToDeliveries(f.endpointId, (item) => seen.push(item));
    try {
      const answer = await post(server, `${f.token}/test`, '{"email":"ada@example.com"}', { authorization: "Bearer tok-123456789", "x-shop": "acme" });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ test: true, deliveryId: expect.any(String) });
      expect(answer.json.runId).toBeUndefined();
      const delivery = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: answer.json.deliveryId! } });
      expect([delivery.verdict, delivery.responseStatus, delivery.reason, delivery.dedupeKey]).toEqual(["accepted", 200, "test_event", null]);
      expect((delivery.headers as Record<string, string>)["x-shop"]).toBe("acme");
      expect(await prisma.run.count({ where: { flowId: f.flowId } })).toBe(0);
      expect(seen.map((item) => [item.id, item.reason, item.runId])).toEqual([[answer.json.deliveryId, "test_event", null]]);

      // Still verified: an unsigned test request is refused like a real one.
      expect((await post(server, `${f.token}/test`, "{}")).status).toBe(401);
    } finally {
      stop();
    }
    // The production URL of the active flow runs as before.
    expect((await post(server, f.token, "{}", { authorization: "Bearer tok-123456789" })).status).toBe(202);
    expect(await prisma.run.count({ where: { flowId: f.flowId } })).toBe(1);
  });

  it("answers 404 when nobody listens, and captures test events of a flow that is not active yet", async () => {
    const f = await createFixture(getDb());
    const prisma = getDb().prisma;
    const idle = await post(server, `${f.token}/test`, "{}");
    expect([idle.status, idle.json.error?.code]).toEqual([404, "not_listening"]);
    expect(await prisma.webhookDelivery.count({ where: { endpointId: f.endpointId } })).toBe(0);

    await prisma.flow.update({ where: { id: f.flowId }, data: { status: "draft", activeVersionId: null } });
    invalidateEndpointCache();
    const stop = subscribeToDeliveries(f.endpointId, () => {});
    try {
      expect((await post(server, `${f.token}/test`, '{"a":1}')).status).toBe(200);
      expect((await post(server, f.token, '{"a":1}')).json.error?.code).toBe("flow_inactive");
    } finally {
      stop();
    }
  });
});
