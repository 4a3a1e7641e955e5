import { afterEach, expect, it } from "vitest";
import { CLAIM_DUE_EVENTS, startOutboxRelay, type OutboxMessage, type OutboxRelay } from "@/lib/outbox/relay";
import { describeEachDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { createFixture, post, startHookServer } from "./hook-fixtures";


describeEachDatabase("outbox relay", (getDb) => {
  const relays: OutboxRelay[] = [];
  const quiet = () => {};
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await getDb().query(`UPDATE "OutboxEvent" SET "sentAt" = now() WHERE "sentAt" IS NULL`);
  });

  it("claims from a backlog of unsent events through the partial index, without reading the backlog", async () => {
    // 5,000 unsent events: a claim that sorted them all would cost tens of ms per relay pass.
    await getDb().query(
      `INSERT INTO "OutboxEvent" (id, "eventName", "eventId", data, "nextAttemptAt", "createdAt")
       SELECT 'ob_backlog_' || g, 'switchyard/run.requested', 'backlog_' || g, '{}'::jsonb, t, t
         FROM generate_series(1, 5000) g, LATERAL (SELECT (now() AT TIME ZONE 'UTC') - (5000 - g) * interval '1 millisecond' AS t) due`,
    );
    await getDb().query(`ANALYZE "OutboxEvent"`);
    try {
      const plan = await getDb().query<{ "QUERY PLAN": string }>(`EXPLAIN ${CLAIM_DUE_EVENTS}`, [10, 30_000]);
      const text = plan.map((row) => row["QUERY PLAN"]).join("\n");
      expect(text).toContain("OutboxEvent_unsent_nextAttemptAt_idx");
      expect(text).not.toMatch(/Sort Key|Seq Scan/);
    } finally {
      await getDb().query(`DELETE FROM "OutboxEvent" WHERE id LIKE 'ob_backlog_%'`);
    }
  });

  it("hands accepted webhooks to the engine with the delivery id as event id, once, and marks them dispatched", async () => {
    const f = await createFixture(getDb());
    const sent: OutboxMessage[][] = [];
    relays.push(startOutboxRelay({ db: getDb(), send: async (events) => void sent.push(events), pollIntervalMs: 50, log: quiet }));
    const server = await startHookServer(getDb());
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => post(server, f.token, JSON.stringify({ i }))));
    await server.close();
    const ids = answers.map((a) => a.json.deliveryId!).sort();
    await until(async () => sent.flat().length >= 5, "5 events");
    const all = sent.flat();
    expect(all.map((e) => e.id).sort()).toEqual(ids);
    expect(all.every((e) => e.name === "switchyard/run.requested")).toBe(true);
    const byId = new Map(answers.map((a) => [a.json.deliveryId, a.json.runId]));
    for (const e of all) expect(e.data).toMatchObject({ deliveryId: e.id, runId: byId.get(e.id), flowId: f.flowId, flowVersionId: f.versionId });

    await until(async () => (await getDb().prisma.webhookDelivery.count({ where: { id: { in: ids }, dispatchedAt: { not: null } } })) === 5, "dispatchedAt");
    await new Promise((r) => setTimeout(r, 200)); // a few more polls: nothing is sent twice
    expect(sent.flat()).toHaveLength(5);
  });

  it("retries a refused send with backoff until the engine accepts it", async () => {
    const f = await createFixture(getDb());
    const server = await startHookServer(getDb());
    const { json } = await post(server, f.token, '{"retry":true}');
    await server.close();
    let calls = 0;
    const accepted: string[] = [];
    relays.push(
      startOutboxRelay({
        db: getDb(),
        pollIntervalMs: 20,
        baseBackoffMs: 20,
        log: quiet,
        send: async (events) => {
          calls++;
          if (calls <= 2) throw new Error(`engine unavailable (${calls})`);
          accepted.push(...events.map((e) => e.id));
        },
      }),
    );
    await until(async () => accepted.length > 0, "accepted send");
    expect(accepted).toEqual([json.deliveryId]);
    const row = await until(async () => {
      const r = await getDb().prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: json.deliveryId! } });
      return r.sentAt ? r : null;
    }, "sentAt");
    expect(row.attempts).toBe(3);
    expect(row.lastError).toBeNull();
  });

  it("still retries after a failed send during which new webhooks kicked the relay", async () => {
    const f = await createFixture(getDb());
    const server = await startHookServer(getDb());
    const { json } = await post(server, f.token, '{"kicked":true}');
    let calls = 0;
    const accepted: string[] = [];
    const relay = startOutboxRelay({
      db: getDb(),
      pollIntervalMs: 60_000, // only kicks and the backoff timer can bring the retry
      baseBackoffMs: 30,
      log: quiet,
      send: async (events) => {
        calls++;
        if (calls === 1) {
          relay.kick(); // a webhook arriving while the engine is failing
          throw new Error("engine unavailable");
        }
        accepted.push(...events.map((e) => e.id));
      },
    });
    relays.push(relay);
    await server.close();
    await until(async () => accepted.includes(json.deliveryId!), "the retry after backoff");
  });

  it("sends what a stopped relay left behind when a new one starts (the rows are the queue)", async () => {
    const f = await createFixture(getDb());
    const first = startOutboxRelay({
      db: getDb(),
      pollIntervalMs: 20,
      baseBackoffMs: 60_000, // never retries within this test
      log: quiet,
      send: async () => {
        throw new Error("engine down");
      },
    });
    const server = await startHookServer(getDb());
    const { json } = await post(server, f.token, '{"restart":true}');
    await server.close();
    await until(async () => (await getDb().prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: json.deliveryId! } })).attempts > 0, "failed attempt");
    await first.stop();
    // A restart: the backoff is still pending, as it would be after a crash.
    await getDb().query(`UPDATE "OutboxEvent" SET "nextAttemptAt" = now() AT TIME ZONE 'UTC' WHERE "eventId" = $1`, [json.deliveryId]);
    const received: string[] = [];
    relays.push(startOutboxRelay({ db: getDb(), pollIntervalMs: 20, log: quiet, send: async (events) => void received.push(...events.map((e) => e.id)) }));
    await until(async () => received.includes(json.deliveryId!), "event after restart");
    expect(received.filter((id) => id === json.deliveryId)).toHaveLength(1);
  });

  it("sends small paced batches while webhooks are being acknowledged, and the rest at once when they stop", async () => {
    const f = await createFixture(getDb());
    const server = await startHookServer(getDb());
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => post(server, f.token, JSON.stringify({ paced: i }))));
    await server.close();
    let busy = true;
    const sends: { at: number; ids: string[] }[] = [];
    relays.push(
      startOutboxRelay({
        db: getDb(),
        pollIntervalMs: 20,
        yieldWhile: () => busy,
        busyBatchSize: 2,
        busyIntervalMs: 150,
        log: quiet,
        send: async (events) => void sends.push({ at: performance.now(), ids: events.map((e) => e.id) }),
      }),
    );
    await until(async () => sends.length >= 3, "three paced sends");
    busy = false;
    const all = answers.map((a) => a.json.deliveryId!);
    await until(async () => sends.flatMap((s) => s.ids).length >= all.length, "every event");
    expect(sends.slice(0, 3).map((s) => s.ids.length)).toEqual([2, 2, 2]);
    expect(sends[1].at - sends[0].at).toBeGreaterThanOrEqual(140);
    expect(sends[2].at - sends[1].at).toBeGreaterThanOrEqual(140);
    expect(sends.flatMap((s) => s.ids).sort()).toEqual([...all].sort());
  });
});
