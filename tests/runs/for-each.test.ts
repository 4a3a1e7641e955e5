// for_each: the item branch runs once per item, as durable steps of its own, through the real
// Inngest SDK (@inngest/test) and through the embedded engine, on PostgreSQL, with real HTTP
// targets on loopback.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { createRunWorkflow, runWorkflow } from "@/inngest/functions/run-workflow";
import { setProcessDatabase } from "@/lib/db";
import { createCredential } from "@/lib/credentials/manage-credentials";
import { getRun } from "@/lib/runs/query-runs";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase, type TestDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { startHarness, type Harness } from "../engine/harness";
import { edge, node, seedPublishedFlow, seedWorkspace, startTestServer, triggerNode, type TestServer } from "../helpers/flows-and-receivers";

describeEachDatabase("for_each", (getDb) => {
  let db: TestDatabase;
  let target: TestServer;
  let harness: Harness;
  beforeAll(async () => {
    db = getDb();
    setProcessDatabase(db);
    target = await startTestServer();
    harness = await startHarness({ db, appId: "switchyard", functions: (client) => [createRunWorkflow(client)], timeScale: 0.001 });
  });
  afterAll(async () => {
    await harness?.close();
    await target?.close();
    setProcessDatabase(undefined);
  });

  /** trigger → loop (item: shape → call) → done: summary */
  function loopFlow(loopConfig: Record<string, unknown>, callConfig: Record<string, unknown> = {}) {
    return {
      nodes: [
        triggerNode(),
        node("loop", "for_each", { items: "{{ trigger.body.orders }}", ...loopConfig }),
        node("shape", "transform", { fields: [{ path: "sku", value: "{{ item.sku }}" }, { path: "position", value: "{{ itemIndex }}" }] }),
        node("call", "http_request", { method: "POST", url: `${target.url}/orders`, jsonBody: { sku: "{{ steps.shape.sku }}", position: "{{ steps.shape.position }}", order: "{{ trigger.body.id }}" }, ...callConfig }),
        node("summary", "transform", { mode: "expression", expression: '{ "statuses": steps.loop.status, "count": $count(steps.loop) }' }),
      ],
      edges: [edge("trigger", "loop"), edge("loop", "shape", "item"), edge("shape", "call"), edge("loop", "summary", "done")],
    };
  }

  async function requestRun(graph: ReturnType<typeof loopFlow>, body: unknown) {
    const workspace = await seedWorkspace(db.prisma);
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: body });
    const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: runId } });
    return { runId, workspaceId: workspace.id, data: outbox.data as unknown as RunRequestedData };
  }

  const throughSdk = (data: RunRequestedData) => new InngestTestEngine({ function: runWorkflow, events: [{ name: RUN_REQUESTED, data }] }).execute();

  async function throughEngine(runId: string, data: RunRequestedData) {
    await harness.client.send({ id: runId, name: RUN_REQUESTED, data });
    return until(async () => {
      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      return ["succeeded", "failed", "cancelled", "skipped"].includes(run.status) ? run : null;
    }, `run ${runId} to finish`, 30_000, 50);
  }

  const requestsOf = (runId: string) => target.requests.filter((request) => String(request.headers["idempotency-key"]).startsWith(`${runId}:`));
  const orders = [{ sku: "A-1" }, { sku: "B-2" }, { sku: "C-3" }];

  it("runs the item branch once per item with item and itemIndex, records rows per item, and continues from done with the results in item order", async () => {
    const { runId, data, workspaceId } = await requestRun(loopFlow({}), { id: 7, orders });
    const { result, error } = await throughSdk(data);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ status: "succeeded" });

    const sent = requestsOf(runId);
    expect(sent.map((request) => JSON.parse(request.body))).toEqual([
      { sku: "A-1", position: 0, order: 7 },
      { sku: "B-2", position: 1, order: 7 },
      { sku: "C-3", position: 2, order: 7 },
    ]);
    // A repeated item step is not a repeated effect: the key names the item.
    expect(sent.map((request) => request.headers["idempotency-key"])).toEqual([0, 1, 2].map((i) => `${runId}:call:item:${i}`));

    const steps = await db.prisma.runStep.findMany({ where: { runId }, orderBy: [{ nodeId: "asc" }, { itemIndex: "asc" }] });
    expect(steps.map((step) => [step.nodeId, step.itemIndex, step.status])).toEqual([
      ["call", 0, "succeeded"],
      ["call", 1, "succeeded"],
      ["call", 2, "succeeded"],
      ["loop", null, "succeeded"],
      ["shape", 0, "succeeded"],
      ["shape", 1, "succeeded"],
      ["shape", 2, "succeeded"],
      ["summary", null, "succeeded"],
      ["trigger", null, "succeeded"],
    ]);
    // done: each item's last step output, in item order.
    const loop = steps.find((step) => step.nodeId === "loop")!;
    expect((loop.output as { status: number }[]).map((output) => output.status)).toEqual([200, 200, 200]);
    expect(steps.find((step) => step.nodeId === "summary")!.output).toEqual({ statuses: [200, 200, 200], count: 3 });
    // The runs API returns each row with its item index.
    const detail = await getRun(db.prisma, workspaceId, runId);
    expect(detail.steps.filter((step) => step.nodeId === "call").map((step) => step.itemIndex)).toEqual([0, 1, 2]);
  });

  it("keeps `concurrency` items in flight at once and still returns the results in item order", async () => {
    // Later items answer sooner: the results must still come in the items' order.
    const delays = [600, 450, 300, 600, 450];
    let inFlight = 0;
    let most = 0;
    const pending: Promise<void>[] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        most = Math.max(most, ++inFlight);
        const position = Number(JSON.parse(body).position);
        pending.push(
          new Promise((resolve) =>
            setTimeout(() => {
              inFlight--;
              res.writeHead(200, { "content-type": "application/json" });
              res.end(JSON.stringify({ position }));
              resolve();
            }, delays[position]),
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const graph = loopFlow({ concurrency: 3 }, { url: `http://127.0.0.1:${port}/slow` });
      const { runId, data } = await requestRun(graph, { id: 8, orders: delays.map((_, i) => ({ sku: `S-${i}` })) });
      const run = await throughEngine(runId, data);
      expect(run.status).toBe("succeeded");
      expect(most).toBe(3);
      const loop = await db.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId: "loop" } });
      expect((loop.output as { body: { position: number } }[]).map((output) => output.body.position)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await Promise.all(pending);
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("retries only the item that failed: finished items are not sent again", async () => {
    let failedOnce = false;
    target.respond((request) => {
      const body = JSON.parse(request.body || "{}") as { sku?: string };
      if (body.sku === "B-2" && !failedOnce) {
        failedOnce = true;
        return { status: 503, body: { error: "busy" } };
      }
      return { status: 200, body: { ok: true, sku: body.sku } };
    });
    try {
      const { runId, data } = await requestRun(loopFlow({ concurrency: 3 }, { retry: { maxAttempts: 2, initialDelayMs: 1000 } }), { id: 9, orders });
      const run = await throughEngine(runId, data);
      expect(run.status).toBe("succeeded");
      const perItem = (sku: string) => requestsOf(runId).filter((request) => JSON.parse(request.body).sku === sku).length;
      expect([perItem("A-1"), perItem("B-2"), perItem("C-3")]).toEqual([1, 2, 1]);
      const calls = await db.prisma.runStep.findMany({ where: { runId, nodeId: "call" }, orderBy: [{ itemIndex: "asc" }, { attempt: "asc" }] });
      expect(calls.map((step) => [step.itemIndex, step.attempt, step.status])).toEqual([
        [0, 1, "succeeded"],
        [1, 1, "failed"],
        [1, 2, "succeeded"],
        [2, 1, "succeeded"],
      ]);
      const loop = await db.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId: "loop" } });
      expect((loop.output as { body: { sku: string } }[]).map((output) => output.body.sku)).toEqual(["A-1", "B-2", "C-3"]);
    } finally {
      target.respond(() => ({ status: 200, body: { ok: true } }));
    }
  });

  it("fails the loop and the run when an item fails for good, naming the item; later items do not start", async () => {
    target.respond((request) => (JSON.parse(request.body || "{}").sku === "B-2" ? { status: 422, body: { error: "bad sku" } } : { status: 200, body: { ok: true } }));
    try {
      const { runId, data } = await requestRun(loopFlow({}), { id: 10, orders });
      const run = await throughEngine(runId, data);
      expect(run.status).toBe("failed");
      expect(run.error).toMatchObject({ nodeId: "loop", itemIndex: 1, itemNodeId: "call", message: expect.stringMatching(/^Node "loop" failed: Item 1 failed at "call": POST http:\/\/127\.0\.0\.1:\d+ answered HTTP 422/) });
      expect(requestsOf(runId).map((request) => JSON.parse(request.body).sku)).toEqual(["A-1", "B-2"]);
      const steps = await db.prisma.runStep.findMany({ where: { runId } });
      expect(steps.find((step) => step.nodeId === "loop")?.status).toBe("failed");
      expect(steps.find((step) => step.nodeId === "summary")?.status).toBe("skipped");
    } finally {
      target.respond(() => ({ status: 200, body: { ok: true } }));
    }
  });

  it("fails the step with the type when items is not an array, and with the count when there are too many", async () => {
    const notArray = await requestRun(loopFlow({}), { id: 11, orders: "A-1,B-2" });
    await throughSdk(notArray.data);
    const first = await db.prisma.runStep.findFirstOrThrow({ where: { runId: notArray.runId, nodeId: "loop" } });
    expect(first.status).toBe("failed");
    expect(first.error).toMatchObject({ message: "items is a string, not an array" });

    const tooMany = await requestRun(loopFlow({ maxItems: 2 }), { id: 12, orders });
    await throughSdk(tooMany.data);
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: tooMany.runId } });
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ message: expect.stringContaining("items has 3 entries, more than the maximum of 2") });
    expect(requestsOf(tooMany.runId)).toHaveLength(0);
  });

  it("scrubs the item branch's credentials from the loop's results, as from the branch's own rows", async () => {
    const token = "tok-9f3kQ7zLr2";
    const echo = await startTestServer((request) => ({ status: 200, body: { seen: request.headers.authorization } }));
    try {
      const workspace = await seedWorkspace(db.prisma);
      const credentialId = (await createCredential(db.prisma, { workspaceId: workspace.id, name: "orders api", type: "bearer_token", data: { token } })).id;
      const { flow } = await seedPublishedFlow(db.prisma, workspace.id, {
        nodes: [
          triggerNode(),
          node("loop", "for_each", { items: "{{ trigger.body.orders }}" }),
          node("call", "http_request", { method: "POST", url: `${echo.url}/orders`, authCredentialId: credentialId, jsonBody: { sku: "{{ item.sku }}" } }),
        ],
        edges: [edge("trigger", "loop"), edge("loop", "call", "item")],
      });
      const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: { orders } });
      const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: runId } });
      const run = await throughEngine(runId, outbox.data as unknown as RunRequestedData);
      expect(run.status).toBe("succeeded");
      expect(echo.requests.map((request) => request.headers.authorization)).toEqual(orders.map(() => `Bearer ${token}`)); // sent as it must be
      const rows = await db.prisma.runStep.findMany({ where: { runId } });
      expect(rows.filter((row) => row.nodeId === "call").map((row) => row.output)).toEqual(orders.map(() => expect.objectContaining({ body: { seen: "Bearer [redacted]" } })));
      const loopRow = rows.find((row) => row.nodeId === "loop");
      expect(loopRow?.output).toEqual(orders.map(() => expect.objectContaining({ body: { seen: "Bearer [redacted]" } })));
      const stored = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      expect(JSON.stringify([rows, stored.output])).not.toContain(token);
    } finally {
      await echo.close();
    }
  });

  it("continues from done with an empty list when there are no items", async () => {
    const { runId, data } = await requestRun(loopFlow({}), { id: 13, orders: [] });
    const run = await throughEngine(runId, data);
    expect(run.status).toBe("succeeded");
    const summary = await db.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId: "summary" } });
    expect(summary.output).toEqual({ count: 0 });
  });
});
