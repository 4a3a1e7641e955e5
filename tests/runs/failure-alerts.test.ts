// Failure alerts under concurrency: a streak that crosses the threshold alerts once per cool-down
// window, whatever order its failures finish and decide in. Alerts go to a real loopback receiver.
import { afterAll, beforeAll, expect, it } from "vitest";
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { createRunWorkflow } from "@/inngest/functions/run-workflow";
import { createCredential } from "@/lib/credentials/manage-credentials";
import { setProcessDatabase } from "@/lib/db";
import { sendFailureAlert } from "@/lib/runs/send-failure-alert";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase, type TestDatabase } from "../helpers/databases";
import { runsForEvent, startHarness, type Harness } from "../engine/harness";
import { edge, node, seedPublishedFlow, seedWorkspace, startTestServer, triggerNode, type TestServer } from "../helpers/flows-and-receivers";

const graph = { nodes: [triggerNode(), node("t", "transform", { fields: [{ path: "a", value: "1" }] })], edges: [edge("trigger", "t")] };

describeEachDatabase("failure alerts", (getDb) => {
  let db: TestDatabase;
  let receiver: TestServer;
  beforeAll(async () => {
    db = getDb();
    receiver = await startTestServer();
  });
  afterAll(() => receiver.close());

  /** A flow alerting through an HTTP webhook credential to the receiver; `finished` adds a finished production run. */
  async function alertingFlow(alerts: { rule: "first_failure" | "consecutive_failures"; threshold?: number; minIntervalMinutes: number }) {
    const ws = await seedWorkspace(db.prisma);
    const credentialId = (await createCredential(db.prisma, { workspaceId: ws.id, name: "alerts", type: "http_webhook", data: { url: `${receiver.url}/alerts/${ws.id}` } })).id;
    const { flow, version } = await seedPublishedFlow(db.prisma, ws.id, graph, { alerts: { enabled: true, credentialId, ...alerts } });
    let t = Date.now() - 1_000_000;
    return {
      ws,
      flow,
      finished: (status: "succeeded" | "failed") =>
        db.prisma.run.create({
          data: { workspaceId: ws.id, flowId: flow.id, flowVersionId: version.id, status, triggerPayload: {}, finishedAt: new Date((t += 1000)), error: status === "failed" ? { message: "HTTP 503" } : undefined },
        }),
      decide: (runId: string) => sendFailureAlert(db.prisma, { workspaceId: ws.id, flowId: flow.id, runId }),
      alertsReceived: () => receiver.requests.filter((request) => request.url === `/alerts/${ws.id}`).map((request) => JSON.parse(request.body)),
      history: async () => (await db.prisma.alertNotification.findMany({ where: { flowId: flow.id }, orderBy: { createdAt: "asc" } })).map((row) => row.status),
    };
  }

  it("three failures that finish together with threshold 2: their concurrent decisions send exactly one alert", async () => {
    const f = await alertingFlow({ rule: "consecutive_failures", threshold: 2, minIntervalMinutes: 60 });
    await f.finished("succeeded");
    const failed = [await f.finished("failed"), await f.finished("failed"), await f.finished("failed")];
    const outcomes = await Promise.all(failed.map((run) => f.decide(run.id)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(["rule_not_met", "rule_not_met", "sent"]);
    expect(f.alertsReceived()).toHaveLength(1);
    expect(f.alertsReceived()[0]).toMatchObject({ type: "flow.failed", rule: "consecutive_failures", consecutiveFailures: 3 });
    expect(await f.history()).toEqual(["sent"]);
  });

  it("sends one alert per streak whatever order the failures finish and decide in", async () => {
    // Each order: which failure's decision runs after how many of the three have finished.
    const orders: { finishBefore: number[]; decideOrder: number[] }[] = [
      { finishBefore: [1, 2, 3], decideOrder: [0, 1, 2] }, // one at a time: finish, decide, finish, decide…
      { finishBefore: [3, 3, 3], decideOrder: [2, 1, 0] }, // all finish, then decide newest first
      { finishBefore: [1, 3, 3], decideOrder: [0, 2, 1] }, // the first decides alone, the others after all finished
      { finishBefore: [2, 2, 3], decideOrder: [1, 0, 2] },
    ];
    for (const order of orders) {
      const f = await alertingFlow({ rule: "consecutive_failures", threshold: 2, minIntervalMinutes: 60 });
      await f.finished("succeeded");
      const runs: { id: string }[] = [];
      for (const index of order.decideOrder) {
        while (runs.length < order.finishBefore[index]) runs.push(await f.finished("failed"));
        await f.decide(runs[index].id);
      }
      expect({ order, alerts: f.alertsReceived().length }).toEqual({ order, alerts: 1 });
    }
  });

  it("a new streak inside the cool-down is noted once as rate-limited, and alerts on its next failure after the cool-down", async () => {
    const f = await alertingFlow({ rule: "first_failure", minIntervalMinutes: 60 });
    await f.finished("succeeded");
    expect(await f.decide((await f.finished("failed")).id)).toMatchObject({ status: "sent" });
    await f.finished("succeeded");
    expect(await f.decide((await f.finished("failed")).id)).toMatchObject({ status: "rate_limited" });
    expect(await f.decide((await f.finished("failed")).id)).toEqual({ status: "rule_not_met" });
    expect(f.alertsReceived()).toHaveLength(1);
    // The cool-down passes while the streak goes on.
    await db.query(`UPDATE "FlowAlertState" SET "lastAlertAt" = "lastAlertAt" - interval '61 minutes' WHERE "flowId" = $1`, [f.flow.id]);
    expect(await f.decide((await f.finished("failed")).id)).toMatchObject({ status: "sent" });
    expect(await f.decide((await f.finished("failed")).id)).toEqual({ status: "rule_not_met" });
    expect(f.alertsReceived()).toHaveLength(2);
    expect(await f.history()).toEqual(["sent", "rate_limited", "sent"]);
  });

  it("retries a streak whose alert could not be delivered once the cool-down has passed", async () => {
    const f = await alertingFlow({ rule: "first_failure", minIntervalMinutes: 0 });
    receiver.respond(() => ({ status: 500, body: { down: true } }));
    try {
      await f.finished("succeeded");
      expect(await f.decide((await f.finished("failed")).id)).toMatchObject({ status: "failed" });
    } finally {
      receiver.respond(() => ({ status: 200, body: { ok: true } }));
    }
    expect(await f.decide((await f.finished("failed")).id)).toMatchObject({ status: "sent" });
    expect(await f.history()).toEqual(["failed", "sent"]);
  });

  it("through the engine: three runs failing at once with threshold 2 alert exactly once", { timeout: 60_000 }, async () => {
    setProcessDatabase(db);
    let harness: Harness | undefined;
    try {
      harness = await startHarness({ db, appId: "switchyard", functions: (client) => [createRunWorkflow(client)], timeScale: 0.001 });
      const ws = await seedWorkspace(db.prisma);
      const credentialId = (await createCredential(db.prisma, { workspaceId: ws.id, name: "alerts", type: "http_webhook", data: { url: `${receiver.url}/alerts/${ws.id}` } })).id;
      const failing = {
        nodes: [triggerNode(), node("call", "http_request", { method: "POST", url: `${receiver.url}/down`, retry: { maxAttempts: 1 } })],
        edges: [edge("trigger", "call")],
      };
      receiver.respond((request) => (request.url === "/down" ? { status: 503, body: { error: "maintenance" } } : { status: 200, body: { ok: true } }));
      const { flow } = await seedPublishedFlow(db.prisma, ws.id, failing, { alerts: { enabled: true, rule: "consecutive_failures", threshold: 2, credentialId, minIntervalMinutes: 60 } });
      const runIds = await Promise.all([1, 2, 3].map(async () => (await startRun(db.prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "version" }, trigger: {} })).runId));
      const events = await Promise.all(
        runIds.map(async (runId) => {
          const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: runId } });
          return (await harness!.client.send({ id: outbox.eventId, name: RUN_REQUESTED, data: outbox.data as unknown as RunRequestedData })).ids[0];
        }),
      );
      // Every engine run done, alert step included.
      for (const eventId of events) for (const engineRunId of await runsForEvent(db, eventId)) await harness.waitForRun(engineRunId, 30_000);
      expect((await db.prisma.run.findMany({ where: { id: { in: runIds } } })).map((run) => run.status)).toEqual(["failed", "failed", "failed"]);
      expect(receiver.requests.filter((request) => request.url === `/alerts/${ws.id}`)).toHaveLength(1);
      expect((await db.prisma.alertNotification.findMany({ where: { flowId: flow.id } })).map((row) => row.status)).toEqual(["sent"]);
    } finally {
      receiver.respond(() => ({ status: 200, body: { ok: true } }));
      await harness?.close();
      setProcessDatabase(undefined);
    }
  });
});
