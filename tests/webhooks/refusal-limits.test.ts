// What refused requests may put on disk (issue 15, item 5): the start of their body and headers,
// and a fixed number per endpoint and minute; the rest are counted on the endpoint.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getDelivery, replayDelivery } from "@/lib/webhooks/deliveries/manage-deliveries";
import { getEndpoint } from "@/lib/webhooks/endpoints/manage-endpoints";
import { REFUSALS_STORED_PER_MINUTE, REFUSED_BODY_KEPT_BYTES, REFUSED_FIELDS_KEPT_CHARS } from "@/lib/webhooks/endpoints/limits";
import { describeEachDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { createFixture, post, startHookServer, type HookServer } from "./hook-fixtures";

describeEachDatabase("refused requests on disk", (getDb) => {
  let server: HookServer;
  beforeAll(async () => {
    server = await startHookServer(getDb());
  });
  afterAll(async () => {
    await server.close();
  });

  it("keeps only the start of a refused request's body and headers, with the size as received", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: "s3cret" });
    const body = JSON.stringify({ filler: "é".repeat(100_000) }); // ~200 KB of two-byte characters
    const res = await post(server, f.token, body, { "x-signature": "sha256=forged", "x-padding": "p".repeat(10_000) });
    expect(res.status).toBe(401);

    const row = await getDb().prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: f.endpointId } });
    expect(row).toMatchObject({ verdict: "rejected", reason: "unauthorized", sizeBytes: Buffer.byteLength(body), bodyTruncated: true });
    expect(row.rawBody!.length).toBeLessThanOrEqual(REFUSED_BODY_KEPT_BYTES);
    expect(row.rawBody!.length).toBeGreaterThan(REFUSED_BODY_KEPT_BYTES - 4);
    expect(JSON.stringify(row.headers).length).toBeLessThan(REFUSED_FIELDS_KEPT_CHARS + 200);
    expect((row.headers as Record<string, string>)["x-padding"]).toMatch(/^p+…\[truncated\]$/);

    // Cut between characters: the kept start is still text.
    const detail = await getDelivery(getDb().prisma, f.workspaceId, row.id);
    expect(detail).toMatchObject({ bodyEncoding: "utf8", bodyTruncated: true, sizeBytes: Buffer.byteLength(body) });
    expect(body.startsWith(detail.body!)).toBe(true);
  });

  it("keeps small refused bodies whole, and will not replay a truncated one", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { enabled: false });
    const small = await post(server, f.token, '{"order":1}');
    const big = await post(server, f.token, JSON.stringify({ order: 2, pad: "x".repeat(10_000) }));
    expect([small.status, big.status]).toEqual([423, 423]);
    const [smallRow, bigRow] = await getDb().prisma.webhookDelivery.findMany({ where: { endpointId: f.endpointId }, orderBy: { sizeBytes: "asc" } });
    expect(Buffer.from(smallRow.rawBody!).toString()).toBe('{"order":1}');
    expect(smallRow.bodyTruncated).toBe(false);

    await getDb().prisma.endpoint.update({ where: { id: f.endpointId }, data: { enabled: true } });
    await expect(replayDelivery(getDb().prisma, f.workspaceId, smallRow.id)).resolves.toMatchObject({ runId: expect.any(String) });
    await expect(replayDelivery(getDb().prisma, f.workspaceId, bigRow.id)).rejects.toThrow(/Only the first 4096 bytes of this refused request's \d+-byte body were kept/);
  });

  it(`stores ${REFUSALS_STORED_PER_MINUTE} refused requests per endpoint and minute and counts the rest on the endpoint`, async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: "s3cret" });
    const other = await createFixture(getDb(), "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: "s3cret" });
    // All within one minute of the clock (the quota's window).
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));

    const extra = 15;
    const statuses: number[] = [];
    for (let i = 0; i < REFUSALS_STORED_PER_MINUTE + extra; i++) statuses.push((await post(server, f.token, `{"n":${i}}`, { "x-signature": "sha256=forged" })).status);
    expect(new Set(statuses)).toEqual(new Set([401])); // every sender still gets its answer
    const signed = '{"n":"ok"}';
    const accepted = await post(server, f.token, signed, { "x-signature": `sha256=${createHmac("sha256", "s3cret").update(signed).digest("hex")}` });
    expect(accepted.status).toBe(202); // accepted requests are not limited by it
    const otherRefused = await post(server, other.token, "{}", { "x-signature": "sha256=forged" });
    expect(otherRefused.status).toBe(401);

    const prisma = getDb().prisma;
    expect(await prisma.webhookDelivery.count({ where: { endpointId: f.endpointId, verdict: "rejected" } })).toBe(REFUSALS_STORED_PER_MINUTE);
    expect(await prisma.webhookDelivery.count({ where: { endpointId: f.endpointId, verdict: "accepted" } })).toBe(1);
    expect(await prisma.webhookDelivery.count({ where: { endpointId: other.endpointId } })).toBe(1);

    const view = await until(async () => {
      const endpoint = await getEndpoint(prisma, f.workspaceId, f.endpointId);
      return endpoint.refusalsNotStored > 0 ? endpoint : null;
    }, "the counter of refused requests not stored");
    expect(view.refusalsNotStored).toBe(extra);
    expect(view.lastRefusalNotStoredAt).toBeInstanceOf(Date);
    expect((await getEndpoint(prisma, other.workspaceId, other.endpointId)).refusalsNotStored).toBe(0);
  });
});
