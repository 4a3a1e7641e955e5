import { afterAll, beforeAll, expect, it } from "vitest";
import { subscribeToDeliveries, type DeliveryFeedItem } from "@/lib/webhooks/deliveries/delivery-feed";
import { getDelivery, keepDeliveryAsSample, listDeliveries, readDeliveryFile, replayDelivery } from "@/lib/webhooks/deliveries/manage-deliveries";
import { purgeExpiredDeliveries } from "@/lib/webhooks/deliveries/purge-deliveries";
import { describeEachDatabase } from "../helpers/databases";
import { createFixture, post, startHookServer, type HookServer } from "./hook-fixtures";

describeEachDatabase("delivery log", (getDb) => {
  let server: HookServer;
  beforeAll(async () => {
    server = await startHookServer(getDb());
  });
  afterAll(async () => {
    await server.close();
  });

  it("lists a workspace's deliveries newest first, filters, searches bodies and pages", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "bearer", secret: "tok-123456" });
    const other = await createFixture(getDb());
    await post(server, other.token, '{"customer":"zebra"}');
    const ok1 = await post(server, f.token, '{"customer":"zebra"}', { authorization: "Bearer tok-123456" });
    await post(server, f.token, '{"customer":"yak"}'); // 401
    const ok2 = await post(server, f.token, '{"customer":"xenops"}', { authorization: "Bearer tok-123456" });
    const prisma = getDb().prisma;

    const all = await listDeliveries(prisma, f.workspaceId);
    expect(all.deliveries.map((d) => [d.verdict, d.responseStatus])).toEqual([
      ["accepted", 202],
      ["rejected", 401],
      ["accepted", 202],
    ]);
    expect(all.deliveries[0]).toMatchObject({ id: ok2.json.deliveryId, runId: ok2.json.runId });

    expect((await listDeliveries(prisma, f.workspaceId, { verdict: "rejected" })).deliveries.map((d) => d.reason)).toEqual(["unauthorized"]);
    expect((await listDeliveries(prisma, f.workspaceId, { q: "ZEBRA" })).deliveries.map((d) => d.id)).toEqual([ok1.json.deliveryId]);
    expect((await listDeliveries(prisma, f.workspaceId, { q: "unauthorized" })).deliveries).toHaveLength(1);
    expect((await listDeliveries(prisma, f.workspaceId, { flowId: other.flowId })).deliveries).toEqual([]);

    const page1 = await listDeliveries(prisma, f.workspaceId, { limit: 2 });
    const page2 = await listDeliveries(prisma, f.workspaceId, { limit: 2, before: page1.nextCursor! });
    expect([...page1.deliveries, ...page2.deliveries].map((d) => d.id)).toEqual(all.deliveries.map((d) => d.id));
    expect(page2.nextCursor).toBeNull();

    const detail = await getDelivery(prisma, f.workspaceId, ok1.json.deliveryId!);
    expect(detail).toMatchObject({ body: '{"customer":"zebra"}', bodyEncoding: "utf8" });
    expect((detail.headers as Record<string, string>).authorization).toBe("[redacted]");
    await expect(getDelivery(prisma, other.workspaceId, ok1.json.deliveryId!)).rejects.toThrow(/Delivery not found/);
  });

  it("replays a delivery as a new queued run with its own outbox event, and refuses to replay a failed signature", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "bearer", secret: "tok-123456" });
    const ok = await post(server, f.token, '{"n":1}', { authorization: "Bearer tok-123456" });
    await post(server, f.token, '{"n":2}'); // refused: no bearer token
    const prisma = getDb().prisma;
    const replay = await replayDelivery(prisma, f.workspaceId, ok.json.deliveryId!);
    expect(replay.runId).not.toBe(ok.json.runId);
    const run = await prisma.run.findUniqueOrThrow({ where: { id: replay.runId } });
    expect(run).toMatchObject({ status: "queued", replayOfId: ok.json.runId, flowVersionId: f.versionId, deliveryId: null });
    expect((run.triggerPayload as { body: unknown }).body).toEqual({ n: 1 });
    const event = await prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: replay.runId } });
    expect(event.data).toMatchObject({ runId: replay.runId, deliveryId: null });

    const badRow = (await listDeliveries(prisma, f.workspaceId, { verdict: "rejected" })).deliveries[0];
    await expect(replayDelivery(prisma, f.workspaceId, badRow.id)).rejects.toThrow(/refused \(unauthorized\) and cannot be replayed/);
  });

  it("keeps a delivery as the flow's sample payload and serves uploaded files back", async () => {
    const f = await createFixture(getDb(), "form_trigger");
    const form = new FormData();
    form.append("name", "Ada");
    form.append("photo", new Blob([new Uint8Array([0, 1, 2, 255])], { type: "image/png" }), "p.png");
    const res = await fetch(`${server.url}/api/hooks/${f.token}`, { method: "POST", body: form });
    const { deliveryId } = (await res.json()) as { deliveryId: string };
    const prisma = getDb().prisma;
    const kept = await keepDeliveryAsSample(prisma, f.workspaceId, deliveryId);
    const flow = await prisma.flow.findUniqueOrThrow({ where: { id: f.flowId } });
    expect(flow.samplePayload).toEqual(kept.samplePayload);
    expect((flow.samplePayload as { body: { name: string } }).body.name).toBe("Ada");
    const file = await readDeliveryFile(prisma, f.workspaceId, deliveryId, 0);
    expect([file.filename, file.contentType, [...file.data]]).toEqual(["p.png", "image/png", [0, 1, 2, 255]]);
    const detail = await getDelivery(prisma, f.workspaceId, deliveryId);
    expect(detail.bodyEncoding).toBe("base64");
  });

  it("feeds every stored request of an endpoint to live listeners (Listen for a test event)", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "bearer", secret: "tok-123456" });
    const seen: DeliveryFeedItem[] = [];
    const unsubscribe = subscribeToDeliveries(f.endpointId, (item) => seen.push(item));
    const ok = await post(server, f.token, '{"live":1}', { authorization: "Bearer tok-123456" });
    await post(server, f.token, '{"live":2}');
    unsubscribe();
    await post(server, f.token, '{"live":3}', { authorization: "Bearer tok-123456" });
    expect(seen.map((s) => [s.verdict, s.responseStatus, s.reason, s.runId])).toEqual([
      ["accepted", 202, null, ok.json.runId],
      ["rejected", 401, "unauthorized", null],
    ]);
    expect(seen[0].id).toBe(ok.json.deliveryId);
  });

  it("purges deliveries past the workspace's retention but never younger than 3 days", async () => {
    const f = await createFixture(getDb());
    await getDb().prisma.workspace.update({ where: { id: f.workspaceId }, data: { retentionDays: 1 } });
    const fresh = await post(server, f.token, '{"age":"new"}');
    const twoDays = await post(server, f.token, '{"age":"2d"}');
    const old = await post(server, f.token, '{"age":"old"}');
    const prisma = getDb().prisma;
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    await prisma.webhookDelivery.update({ where: { id: twoDays.json.deliveryId! }, data: { receivedAt: ago(2) } });
    await prisma.webhookDelivery.update({ where: { id: old.json.deliveryId! }, data: { receivedAt: ago(4) } });
    const result = await purgeExpiredDeliveries(getDb());
    expect(result.deliveries).toBeGreaterThanOrEqual(1);
    const left = (await prisma.webhookDelivery.findMany({ where: { endpointId: f.endpointId } })).map((d) => d.id).sort();
    expect(left).toEqual([fresh.json.deliveryId, twoDays.json.deliveryId].sort());
    // The run stays (runs have their own retention); it just loses the link.
    expect((await prisma.run.findUniqueOrThrow({ where: { id: old.json.runId! } })).deliveryId).toBeNull();
  });
});
