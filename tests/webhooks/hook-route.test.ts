import { createHmac } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowId } from "@/lib/db/ids";
import { ingestWriterFor } from "@/lib/webhooks/ingress/ingest-writer";
import { updateEndpointSettings } from "@/lib/webhooks/endpoints/manage-endpoints";
import { describeEachDatabase } from "../helpers/databases";
import { createFixture, post, startHookServer, type HookServer } from "./hook-fixtures";

const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describeEachDatabase("POST /api/hooks/:token", (getDb) => {
  let server: HookServer;
  beforeAll(async () => {
    server = await startHookServer(getDb());
  });
  afterAll(async () => {
    await server.close();
  });

  const deliveries = (endpointId: string) => getDb().prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: { receivedAt: "asc" } });
  const runCount = (workspaceId: string) => getDb().prisma.run.count({ where: { workspaceId } });

  it("persists delivery, queued run and outbox event before answering 202", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: "s3cret" });
    const body = '{"order":42,"items":["a","b"]}';
    const res = await post(server, f.token, body, { "x-signature": sign("s3cret", body), "x-custom": "kept" }, "POST");
    expect(res.status).toBe(202);
    const { deliveryId, runId, statusUrl } = res.json;
    expect(statusUrl).toBe(`https://switchyard.test/api/v1/runs/${runId}`);

    const delivery = await getDb().prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId! } });
    expect(delivery).toMatchObject({ verdict: "accepted", responseStatus: 202, workspaceId: f.workspaceId, method: "POST", sourceIp: "127.0.0.1" });
    expect(Buffer.from(delivery.rawBody!).toString()).toBe(body);
    expect((delivery.headers as Record<string, string>)["x-signature"]).toBe("[redacted]");
    expect((delivery.headers as Record<string, string>)["x-custom"]).toBe("kept");

    const run = await getDb().prisma.run.findUniqueOrThrow({ where: { id: runId! } });
    expect(run).toMatchObject({ status: "queued", deliveryId, flowId: f.flowId, flowVersionId: f.versionId, workspaceId: f.workspaceId });
    const payload = run.triggerPayload as Record<string, unknown>;
    expect(payload.body).toEqual({ order: 42, items: ["a", "b"] });
    expect(payload.method).toBe("POST");
    expect(payload.query).toEqual({});
    expect((payload.headers as Record<string, string>)["x-custom"]).toBe("kept");
    expect(typeof payload.receivedAt).toBe("string");

    const event = await getDb().prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: deliveryId! } });
    expect(event).toMatchObject({ eventName: "switchyard/run.requested", sentAt: null });
    expect(event.data).toEqual({ runId, flowId: f.flowId, flowVersionId: f.versionId, deliveryId });
  });

  it("sends security headers with every answer: nosniff, no framing, a CSP under which nothing loads, HSTS for an https PUBLIC_URL", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: "s3cret" });
    const body = '{"ok":true}';
    const answers = {
      accepted: await post(server, f.token, body, { "x-signature": sign("s3cret", body) }),
      refused: await post(server, f.token, body, { "x-signature": "sha256=forged" }),
      unknownToken: await post(server, "noSuchToken0000000000", body),
      badPath: await post(server, "not/a/hook", body),
    };
    expect(Object.values(answers).map((a) => a.status)).toEqual([202, 401, 404, 404]);
    for (const [name, answer] of Object.entries(answers)) {
      const headers = Object.fromEntries(["x-content-type-options", "x-frame-options", "content-security-policy", "referrer-policy", "strict-transport-security", "cache-control"].map((h) => [h, answer.headers.get(h)]));
      expect(headers, name).toEqual({
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
        "referrer-policy": "same-origin",
        "strict-transport-security": "max-age=31536000; includeSubDomains",
        "cache-control": "no-store",
      });
    }
  });

  it("stores bodies and query strings with NUL characters or lone surrogates (jsonb refuses them) without failing the batch", async () => {
    const f = await createFixture(getDb());
    const body = '{"text":"a\\u0000b","literal":"c\\\\u0000d","lone":"\\ud800x","pair":"\\ud83d\\ude00"}';
    const [nul, plain] = await Promise.all([
      fetch(`${server.url}/api/hooks/${f.token}?q=x%00y`, { method: "POST", headers: { "content-type": "application/json" }, body }),
      post(server, f.token, '{"ok":true}'),
    ]);
    expect([nul.status, plain.status]).toEqual([202, 202]);
    const { runId, deliveryId } = (await nul.json()) as { runId: string; deliveryId: string };
    const run = await getDb().prisma.run.findUniqueOrThrow({ where: { id: runId } });
    const payload = run.triggerPayload as { body: Record<string, string>; query: { q: string } };
    expect(payload.body).toEqual({ text: "a\ufffdb", literal: "c\\u0000d", lone: "\ufffdx", pair: "😀" });
    expect(payload.query).toEqual({ q: "x\ufffdy" });
    const delivery = await getDb().prisma.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(Buffer.from(delivery.rawBody!).toString()).toBe(body); // the raw bytes stay exact
  });

  it("accepts a body up to the endpoint's raised limit (10 MiB at most) and stores its exact bytes", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { maxBodyBytes: 10 * 1024 * 1024 });
    const big = JSON.stringify({ blob: "é".repeat(3 * 1024 * 1024) }); // 6 MiB of UTF-8
    const res = await post(server, f.token, big);
    expect(res.status).toBe(202);
    const row = await getDb().prisma.webhookDelivery.findUniqueOrThrow({ where: { id: res.json.deliveryId! } });
    expect(row.sizeBytes).toBe(Buffer.byteLength(big));
    expect(Buffer.from(row.rawBody!).equals(Buffer.from(big))).toBe(true);
  });

  it("413 for a body over the endpoint's limit, declared or streamed without Content-Length", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { maxBodyBytes: 100 });
    const big = JSON.stringify({ pad: "x".repeat(200) });
    const declared = await post(server, f.token, big);
    expect(declared.status).toBe(413);
    expect(declared.json.error?.code).toBe("body_too_large");

    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/api/hooks/${f.token}`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      });
      req.on("error", reject);
      // Chunked transfer: no Content-Length, the limit must be enforced while streaming.
      req.write('{"pad":"');
      req.write("y".repeat(150));
      req.end('"}');
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe("body_too_large");
    const stored = await deliveries(f.endpointId);
    expect(stored.map((d) => [d.verdict, d.responseStatus, d.reason])).toEqual([
      ["rejected", 413, "body_too_large"],
      ["rejected", 413, "body_too_large"],
    ]);
    expect(await runCount(f.workspaceId)).toBe(0);
  });

  it("cuts off a sender that stalls mid-body (408) and records it", async () => {
    const f = await createFixture(getDb());
    const impatient = await startHookServer(getDb(), { bodyTimeoutMs: 300 });
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${impatient.url}/api/hooks/${f.token}`, { method: "POST", headers: { "content-type": "application/json", "content-length": "100" } }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        });
        req.on("error", reject);
        req.write('{"partial":'); // and never the rest
      });
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.body).error.code).toBe("body_timeout");
    } finally {
      await impatient.close();
    }
    expect((await deliveries(f.endpointId)).map((d) => [d.verdict, d.reason])).toEqual([["rejected", "body_timeout"]]);
    expect(await runCount(f.workspaceId)).toBe(0);
  });

  it("404 without detail for an unknown token, and stores nothing", async () => {
    const before = await getDb().prisma.webhookDelivery.count();
    const res = await post(server, "unknownTokenUnknownTokenUnknown1", "{}");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: "not_found", message: "Not found." } });
    expect(await getDb().prisma.webhookDelivery.count()).toBe(before);
  });

  it("answers 404 for an unknown token before the body arrives (no reading up to the body limit)", async () => {
    const url = new URL(`${server.url}/api/hooks/unknownTokenUnknownTokenUnknown2`);
    // Announces 900 KB (within the default limit), sends 1 KB and never the rest: only an answer that does not wait for the body arrives.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: "POST", headers: { "content-type": "application/json", "content-length": String(900_000) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", reject);
      req.write("x".repeat(1024));
      setTimeout(() => reject(new Error("no answer while the body was incomplete")), 10_000).unref();
    });
    expect(status).toBe(404);
  });

  it("423 for a disabled endpoint and for an inactive flow, both recorded", async () => {
    const disabled = await createFixture(getDb(), "webhook_trigger", { enabled: false, disabledReason: "user" });
    const res = await post(server, disabled.token, '{"a":1}');
    expect(res.status).toBe(423);
    expect(res.json.error?.code).toBe("endpoint_disabled");
    expect((await deliveries(disabled.endpointId)).map((d) => d.reason)).toEqual(["endpoint_disabled"]);

    const paused = await createFixture(getDb());
    await getDb().prisma.flow.update({ where: { id: paused.flowId }, data: { status: "paused" } });
    const { invalidateEndpointCache } = await import("@/lib/webhooks/ingress/endpoint-cache");
    invalidateEndpointCache();
    const res2 = await post(server, paused.token, '{"a":1}');
    // Activating takes effect on the next request, without any cache invalidation.
    await getDb().prisma.flow.update({ where: { id: paused.flowId }, data: { status: "active" } });
    expect((await post(server, paused.token, '{"a":2}')).status).toBe(202);
    await getDb().prisma.flow.update({ where: { id: paused.flowId }, data: { status: "paused" } });
    invalidateEndpointCache();
    expect(res2.status).toBe(423);
    expect(res2.json.error?.code).toBe("flow_inactive");
    expect((await deliveries(paused.endpointId)).map((d) => [d.verdict, d.reason, Buffer.from(d.rawBody!).toString()])).toEqual([
      ["rejected", "flow_inactive", '{"a":1}'],
      ["accepted", null, '{"a":2}'],
    ]);
    expect(await runCount(paused.workspaceId)).toBe(1);
  });

  it("403 for an address outside the IP allowlist; X-Forwarded-For counts only from a trusted proxy", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { ipAllowlist: ["10.0.0.0/8"] });
    const direct = await post(server, f.token, "{}", { "x-forwarded-for": "10.1.2.3" });
    expect(direct.status).toBe(403);
    expect(direct.json.error?.code).toBe("ip_not_allowed");

    const proxied = await startHookServer(getDb(), { trustedProxies: ["127.0.0.1/32"] });
    try {
      const allowed = await post(proxied, f.token, "{}", { "x-forwarded-for": "10.1.2.3" });
      expect(allowed.status).toBe(202);
      const spoofed = await post(proxied, f.token, "{}", { "x-forwarded-for": "10.1.2.3, 192.0.2.7" });
      expect(spoofed.status).toBe(403);
    } finally {
      await proxied.close();
    }
    const stored = await deliveries(f.endpointId);
    expect(stored.map((d) => [d.responseStatus, d.sourceIp])).toEqual([
      [403, "127.0.0.1"],
      [202, "10.1.2.3"],
      [403, "192.0.2.7"],
    ]);
  });

  it("401 for a bad signature; a malformed body is judged only after verification (401, then 400)", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: "k" });
    const wrong = await post(server, f.token, '{"a":1}', { "x-signature": sign("other", '{"a":1}') });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error?.code).toBe("unauthorized");
    const garbageUnsigned = await post(server, f.token, "{not json");
    expect(garbageUnsigned.status).toBe(401);
    const garbageSigned = await post(server, f.token, "{not json", { "x-signature": sign("k", "{not json") });
    expect(garbageSigned.status).toBe(400);
    expect(garbageSigned.json.error?.code).toBe("malformed_json");
    expect((await deliveries(f.endpointId)).map((d) => d.reason)).toEqual(["unauthorized", "unauthorized", "malformed_json"]);
    expect(await runCount(f.workspaceId)).toBe(0);
  });

  it("refuses a JSON body nested deeper than the limit with 400 body_too_deep, stored as a refused delivery, no run", async () => {
    const f = await createFixture(getDb());
    const deep = "[".repeat(5000) + "]".repeat(5000); // 10 KB
    const res = await post(server, f.token, deep);
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe("body_too_deep");
    const [stored] = await deliveries(f.endpointId);
    expect(stored).toMatchObject({ verdict: "rejected", responseStatus: 400, reason: "body_too_deep" });
    // At the limit it is still a payload like any other.
    const atLimit = "[".repeat(128) + "]".repeat(128);
    expect((await post(server, f.token, atLimit)).status).toBe(202);
    expect(await runCount(f.workspaceId)).toBe(1);
  });

  it("keeps form fields and query parameters named like Object.prototype members as plain strings", async () => {
    const f = await createFixture(getDb(), "form_trigger", { authScheme: "none" });
    const form = "constructor=c&toString=t&hasOwnProperty=h&__proto__=p&valueOf=v1&valueOf=v2";
    const res = await fetch(`${server.url}/api/hooks/${f.token}?constructor=qc&__proto__=qp`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const run = await getDb().prisma.run.findUniqueOrThrow({ where: { id: runId } });
    const payload = run.triggerPayload as { body: Record<string, unknown>; query: Record<string, unknown> };
    // Entries, not an object literal: `__proto__: …` in a literal would set a prototype, not a key.
    expect(Object.entries(payload.body).sort()).toEqual(
      [["__proto__", "p"], ["constructor", "c"], ["hasOwnProperty", "h"], ["toString", "t"], ["valueOf", ["v1", "v2"]]],
    );
    expect(Object.entries(payload.query).sort()).toEqual([["__proto__", "qp"], ["constructor", "qc"]]);
  });

  it("415 for a content type the endpoint does not accept", async () => {
    const f = await createFixture(getDb(), "payment_trigger", { authScheme: "none" });
    const res = await post(server, f.token, "<xml/>", { "content-type": "application/xml" });
    expect(res.status).toBe(415);
    expect(res.json.error?.code).toBe("unsupported_content_type");
    expect((await deliveries(f.endpointId)).map((d) => d.responseStatus)).toEqual([415]);
  });

  it("429 with Retry-After past the per-endpoint rate limit", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { rateLimitPerMinute: 2 });
    expect((await post(server, f.token, "{}")).status).toBe(202);
    expect((await post(server, f.token, "{}")).status).toBe(202);
    const limited = await post(server, f.token, "{}");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.json.error?.code).toBe("rate_limited");
    expect(await runCount(f.workspaceId)).toBe(2);
  });

  it("answers a duplicate with the original delivery id and starts nothing, also for concurrent duplicates", async () => {
    const f = await createFixture(getDb(), "payment_trigger", { authScheme: "none" });
    const event = JSON.stringify({ id: "evt_123", type: "payment_intent.succeeded" });
    const first = await post(server, f.token, event);
    expect(first.status).toBe(202);
    const again = await post(server, f.token, event);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ deliveryId: first.json.deliveryId, runId: first.json.runId, duplicate: true });

    const burst = JSON.stringify({ id: "evt_burst", type: "payment_intent.succeeded" });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(server, f.token, burst)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.json.deliveryId)).size).toBe(1);
    expect(await runCount(f.workspaceId)).toBe(2);
    const stored = await deliveries(f.endpointId);
    expect(stored.filter((d) => d.verdict === "duplicate")).toHaveLength(8);
    expect(stored.filter((d) => d.verdict === "duplicate").every((d) => d.duplicateOfId)).toBe(true);
  });

  it("ignores payment events outside the event-type filter with a 200 and no run", async () => {
    const f = await createFixture(getDb(), "payment_trigger", { authScheme: "none" });
    const res = await post(server, f.token, JSON.stringify({ id: "evt_9", type: "customer.created" }));
    expect(res.status).toBe(200);
    expect(res.json.ignored).toBe(true);
    expect((await deliveries(f.endpointId)).map((d) => d.reason)).toEqual(["event_filtered"]);
    expect(await runCount(f.workspaceId)).toBe(0);
  });

  it("verifies a Stripe-signed payment event end to end", async () => {
    const f = await createFixture(getDb(), "payment_trigger", { secret: "whsec_test_stripe" });
    const body = JSON.stringify({ id: "evt_s1", type: "checkout.session.completed" });
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", "whsec_test_stripe").update(`${t}.${body}`).digest("hex");
    expect((await post(server, f.token, body, { "stripe-signature": `t=${t},v1=${v1}` })).status).toBe(202);
    expect((await post(server, f.token, body, { "stripe-signature": `t=${t - 301},v1=${v1}` })).json.error?.code).toBe("timestamp_out_of_range");
  });

  it("content preset: Standard Webhooks signature, webhook-id dedupe and a publish-event filter", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const f = await createFixture(getDb(), "content_trigger", { secret });
    await updateEndpointSettings(getDb().prisma, f.workspaceId, f.endpointId, { settings: { eventTypes: ["*.publish", "post.published"] } });
    const send = (id: string, body: string, extra: Record<string, string> = {}) => {
      const ts = Math.floor(Date.now() / 1000);
      const key = Buffer.from(secret.slice("whsec_".length), "base64");
      const signature = createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64");
      return post(server, f.token, body, { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${signature}`, ...extra });
    };
    const ghost = await send("msg_1", JSON.stringify({ event: "post.published", post: { current: { title: "Hello" } } }));
    expect(ghost.status).toBe(202);
    expect((await send("msg_1", JSON.stringify({ event: "post.published" }))).json).toMatchObject({ duplicate: true, deliveryId: ghost.json.deliveryId });
    const contentful = await send("msg_2", JSON.stringify({ sys: { id: "entry1" } }), { "x-contentful-topic": "ContentManagement.Entry.publish" });
    expect(contentful.status).toBe(202);
    const draft = await send("msg_3", JSON.stringify({ sys: { id: "entry1" } }), { "x-contentful-topic": "ContentManagement.Entry.save" });
    expect([draft.status, draft.json.ignored]).toEqual([200, true]);
    expect((await send("msg_4", "{}", { "webhook-signature": "v1,AAAA" })).status).toBe(401);
    expect(await runCount(f.workspaceId)).toBe(2);
  });

  it("drain() resolves only after every queued write has committed (graceful shutdown)", async () => {
    const f = await createFixture(getDb());
    const writer = ingestWriterFor(getDb());
    const ids = Array.from({ length: 5 }, () => createRowId());
    const pending = ids.map((id) =>
      writer.accept(
        { id, workspaceId: f.workspaceId, endpointId: f.endpointId, receivedAt: new Date(), method: "POST", query: null, headers: {}, rawBody: Buffer.from("{}"), contentType: "application/json", sizeBytes: 2, sourceIp: null, verdict: "accepted", responseStatus: 202, reason: null, dedupeKey: null },
        { id: createRowId(), flowId: f.flowId, flowVersionId: f.versionId, triggerPayload: {} },
      ),
    );
    await writer.drain();
    expect(await getDb().prisma.webhookDelivery.count({ where: { id: { in: ids } } })).toBe(5);
    expect((await Promise.all(pending)).every((o) => o.kind === "accepted")).toBe(true);
  });

  it("503 when the database is unavailable, so the sender retries", async () => {
    const down = await startHookServer(getDb(), { getDb: () => Promise.reject(new Error("connection refused")) });
    try {
      const res = await post(down, "anyTokenAnyTokenAnyTokenAnyToken", "{}");
      expect(res.status).toBe(503);
      expect(res.json.error?.code).toBe("database_unavailable");
    } finally {
      await down.close();
    }
  });
});

describe("form preset", () => {
  // Forms only need one database kind: the database behaviour is covered above.
  describeEachDatabase("form posts", (getDb) => {
    let server: HookServer;
    beforeAll(async () => {
      server = await startHookServer(getDb());
    });
    afterAll(async () => {
      await server.close();
    });

    it("accepts urlencoded fields, redirects plain HTML forms with 303, and drops honeypot hits", async () => {
      const f = await createFixture(getDb(), "form_trigger", { settings: { acceptedContentTypes: ["application/x-www-form-urlencoded", "multipart/form-data", "application/json"], honeypotField: "_gotcha", redirectUrl: "https://example.com/thanks" } });
      const ok = await post(server, f.token, "name=Ada&tag=a&tag=b", { "content-type": "application/x-www-form-urlencoded" });
      expect(ok.status).toBe(303);
      expect(ok.headers.get("location")).toBe("https://example.com/thanks");
      const run = await getDb().prisma.run.findFirstOrThrow({ where: { workspaceId: f.workspaceId } });
      expect((run.triggerPayload as { body: unknown }).body).toEqual({ name: "Ada", tag: ["a", "b"] });

      const bot = await post(server, f.token, "name=Bot&_gotcha=spam", { "content-type": "application/x-www-form-urlencoded" });
      expect(bot.status).toBe(303);
      expect(await getDb().prisma.run.count({ where: { workspaceId: f.workspaceId } })).toBe(1);
      const stored = await getDb().prisma.webhookDelivery.findMany({ where: { endpointId: f.endpointId }, orderBy: { receivedAt: "asc" } });
      expect(stored.map((d) => d.reason)).toEqual([null, "honeypot"]);
    });

    it("stores multipart fields and references uploaded files, refusing files over the cap", async () => {
      const f = await createFixture(getDb(), "form_trigger", { settings: { acceptedContentTypes: ["multipart/form-data"], maxFileBytes: 1000 } });
      const form = new FormData();
      form.append("email", "ada@example.com");
      form.append("cv", new Blob(["hello file"], { type: "text/plain" }), "cv.txt");
      const res = await fetch(`${server.url}/api/hooks/${f.token}`, { method: "POST", body: form });
      expect(res.status).toBe(202);
      const { runId, deliveryId } = (await res.json()) as { runId: string; deliveryId: string };
      const run = await getDb().prisma.run.findUniqueOrThrow({ where: { id: runId } });
      expect((run.triggerPayload as { body: unknown }).body).toEqual({
        email: "ada@example.com",
        files: [{ field: "cv", filename: "cv.txt", contentType: "text/plain", size: 10, ref: { deliveryId, index: 0 } }],
      });

      const big = new FormData();
      big.append("cv", new Blob(["z".repeat(2000)]), "big.bin");
      const refused = await fetch(`${server.url}/api/hooks/${f.token}`, { method: "POST", body: big });
      expect(refused.status).toBe(413);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("file_too_large");
    });

    it("answers CORS preflights only for allowed origins and labels the answer", async () => {
      const f = await createFixture(getDb(), "form_trigger", { settings: { acceptedContentTypes: ["application/json"], corsOrigins: ["https://shop.example"] } });
      const pre = await fetch(`${server.url}/api/hooks/${f.token}`, { method: "OPTIONS", headers: { origin: "https://shop.example", "access-control-request-method": "POST" } });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe("https://shop.example");
      const evil = await fetch(`${server.url}/api/hooks/${f.token}`, { method: "OPTIONS", headers: { origin: "https://evil.example" } });
      expect(evil.status).toBe(403);
      const postRes = await post(server, f.token, '{"a":1}', { origin: "https://shop.example" });
      expect(postRes.status).toBe(202);
      expect(postRes.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    });

    it("answers GET verification challenges, checking hub.verify_token against the secret", async () => {
      const f = await createFixture(getDb(), "webhook_trigger", { authScheme: "bearer", secret: "verify-me" });
      const good = await fetch(`${server.url}/api/hooks/${f.token}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=verify-me`);
      expect(good.status).toBe(200);
      expect(await good.text()).toBe("1158201444");
      const bad = await fetch(`${server.url}/api/hooks/${f.token}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=nope`);
      expect(bad.status).toBe(401);
      const plain = await fetch(`${server.url}/api/hooks/${f.token}`);
      expect(plain.status).toBe(405);
      const stored = await getDb().prisma.webhookDelivery.findMany({ where: { endpointId: f.endpointId }, orderBy: { receivedAt: "asc" } });
      expect(stored.map((d) => [d.method, d.responseStatus, (d.query as Record<string, string> | null)?.["hub.verify_token"]])).toEqual([
        ["GET", 200, "[redacted]"],
        ["GET", 401, "[redacted]"],
        ["GET", 405, undefined],
      ]);
    });
  });
});
