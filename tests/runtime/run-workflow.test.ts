// run-workflow through the real Inngest SDK (@inngest/test), on PGlite and PostgreSQL, with
// real HTTP targets on loopback.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_REQUESTED, type RunRequestedData } from "@/inngest/events";
import { runWorkflow } from "@/inngest/functions/run-workflow";
import { setProcessDatabase } from "@/lib/db";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase } from "../helpers/databases";
import { edge, node, seedPublishedFlow, seedWorkspace, startTestServer, triggerNode, type TestServer } from "./helpers";

describeEachDatabase("run-workflow", (getDb) => {
  let target: TestServer;
  beforeAll(async () => {
    setProcessDatabase(getDb());
    target = await startTestServer();
  });
  afterAll(async () => {
    setProcessDatabase(undefined);
    await target.close();
  });

  async function requestRun(workspaceId: string, flowId: string, body: unknown) {
    const db = getDb();
    const started = await startRun(db.prisma, { workspaceId, flowId, source: { type: "version" }, trigger: { body, headers: {}, query: {}, method: "POST", receivedAt: new Date().toISOString() } });
    const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: started.runId } });
    return { started, data: outbox.data as unknown as RunRequestedData };
  }

  function engine(data: RunRequestedData) {
    return new InngestTestEngine({ function: runWorkflow, events: [{ name: RUN_REQUESTED, data }] });
  }

  it("runs a 4-node flow: trigger → transform → condition → HTTP, recording every step", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("shape", "transform", { mode: "fields", fields: [{ path: "email", value: "{{ trigger.body.email }}" }, { path: "amount", value: "{{ trigger.body.amount }}" }] }),
        node("big", "condition", { combinator: "and", rules: [{ left: "{{ steps.shape.amount }}", operator: "greater_than", right: "100" }] }),
        node("crm", "http_request", { method: "POST", url: `${target.url}/leads`, bodyType: "json", jsonBody: { email: "{{ steps.shape.email }}", big: true } }),
      ],
      edges: [edge("trigger", "shape"), edge("shape", "big"), edge("big", "crm", "true")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { data } = await requestRun(workspace.id, flow.id, { email: "ada@example.com", amount: 250 });
    const before = target.requests.length;
    const { result, error } = await engine(data).execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ status: "succeeded" });
    expect(target.requests.length).toBe(before + 1);
    const sent = target.requests[before];
    expect(JSON.parse(sent.body)).toEqual({ email: "ada@example.com", big: true });
    expect(sent.headers["idempotency-key"]).toBe(`${data.runId}:crm`);

    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId }, include: { steps: { orderBy: { startedAt: "asc" } } } });
    expect(run.status).toBe("succeeded");
    expect(run.durationMs).not.toBeNull();
    expect(run.steps.map((step) => [step.nodeId, step.status])).toEqual([
      ["trigger", "succeeded"],
      ["shape", "succeeded"],
      ["big", "succeeded"],
      ["crm", "succeeded"],
    ]);
    expect(run.steps.find((step) => step.nodeId === "shape")?.output).toEqual({ email: "ada@example.com", amount: 250 });
    expect(run.steps.find((step) => step.nodeId === "crm")?.output).toMatchObject({ status: 200, body: { ok: true } });
  });

  it("records the branch not taken as skipped and runs a join once", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("check", "condition", { rules: [{ left: "{{ trigger.body.vip }}", operator: "is_true" }] }),
        node("vip", "transform", { fields: [{ path: "tier", value: "gold" }] }),
        node("regular", "transform", { fields: [{ path: "tier", value: "basic" }] }),
        node("notify", "http_request", { method: "POST", url: `${target.url}/notify`, jsonBody: { tier: "{{ steps.vip.tier }}" } }),
      ],
      edges: [edge("trigger", "check"), edge("check", "vip", "true"), edge("check", "regular", "false"), edge("vip", "notify"), edge("regular", "notify")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { data } = await requestRun(workspace.id, flow.id, { vip: true });
    const before = target.requests.length;
    const { error } = await engine(data).execute();
    expect(error).toBeUndefined();
    expect(target.requests.length).toBe(before + 1);
    expect(JSON.parse(target.requests[before].body)).toEqual({ tier: "gold" });
    const steps = await db.prisma.runStep.findMany({ where: { runId: data.runId } });
    const status = Object.fromEntries(steps.map((step) => [step.nodeId, step.status]));
    expect(status).toEqual({ trigger: "succeeded", check: "succeeded", vip: "succeeded", regular: "skipped", notify: "succeeded" });
  });

  it("records a failed attempt with its retry time, then dead-letters after the last attempt", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const failing = await startTestServer(() => ({ status: 503, body: { error: "down" }, headers: { "retry-after": "2" } }));
    try {
      const graph = {
        nodes: [triggerNode(), node("call", "http_request", { method: "POST", url: `${failing.url}/hook`, jsonBody: { a: 1 }, retry: { maxAttempts: 2, initialDelayMs: 1000 } })],
        edges: [edge("trigger", "call")],
      };
      const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
      const { data } = await requestRun(workspace.id, flow.id, {});

      // Attempt 1: the step throws RetryAfterError, which the engine would retry later.
      const first = await engine(data).execute();
      expect(first.error).toBeDefined();
      const attempt1 = await db.prisma.runStep.findUniqueOrThrow({ where: { runId_nodeId_attempt: { runId: data.runId, nodeId: "call", attempt: 1 } } });
      expect(attempt1.status).toBe("failed");
      expect(attempt1.error).toMatchObject({ status: 503, retryable: true, body: { error: "down" } });
      // Retry-After: 2 seconds is honoured as a lower bound.
      expect(attempt1.nextRetryAt!.getTime() - attempt1.finishedAt!.getTime()).toBeGreaterThanOrEqual(1900);

      // Attempt 2 (the engine's retry: ctx.attempt = 1) is the last one: the run fails for good.
      const second = await new InngestTestEngine({
        function: runWorkflow,
        events: [{ name: RUN_REQUESTED, data }],
        transformCtx: (ctx) => ({ ...ctx, attempt: 1 }),
      }).execute();
      expect(String(second.error && (second.error as { message?: string }).message)).toMatch(/Node "call" failed: POST http:\/\/127\.0\.0\.1:\d+ answered HTTP 503/);
      expect(failing.requests.length).toBe(2);
      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId }, include: { steps: true } });
      expect(run.status).toBe("failed");
      expect(run.error).toMatchObject({ nodeId: "call", status: 503 });
      const attempt2 = run.steps.find((step) => step.attempt === 2)!;
      expect(attempt2.status).toBe("failed");
      expect(attempt2.nextRetryAt).toBeNull();
    } finally {
      await failing.close();
    }
  });
});

describe("run-workflow function options", () => {
  it("is triggered by run.requested and limits concurrency per flow", () => {
    const config = runWorkflow["getConfig"]({ baseUrl: new URL("http://localhost/api/inngest"), appPrefix: "switchyard" })[0];
    expect(config.triggers).toEqual([{ event: RUN_REQUESTED }]);
    expect(config.concurrency).toEqual([{ key: "event.data.flowId", limit: 10 }]);
  });
});
