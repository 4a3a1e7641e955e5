// End to end through the embedded engine (inngest/local) and the real SDK serve handler:
// run.requested → run-workflow → Run/RunStep rows, retries with backoff, dead letter, replay.
import { afterAll, beforeAll, expect, it } from "vitest";
import { APPROVAL_DECIDED, FLOW_EVENT } from "@/lib/runs/run-events";
import { createRunWorkflow } from "@/inngest/functions/run-workflow";
import { setProcessDatabase } from "@/lib/db";
import { cancelRun, decideApproval, sendFlowEvent } from "@/lib/runs/control-runs";
import { replayRun } from "@/lib/runs/replay-run";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase, type TestDatabase } from "../helpers/databases";
import { startHarness, type Harness } from "../engine/harness";
import { edge, node, seedPublishedFlow, seedWorkspace, startTestServer, triggerNode, type TestServer } from "../helpers/flows-and-receivers";
import { dispatchRun, waitForFinishedRun } from "../helpers/engine-runs";
import { until } from "../helpers/until";

describeEachDatabase("end to end through the embedded engine", (getDb) => {
  let db: TestDatabase;
  let harness: Harness;
  let target: TestServer;
  let targetHealthy = true;

  beforeAll(async () => {
    db = getDb();
    setProcessDatabase(db);
    target = await startTestServer((request) =>
      request.url.startsWith("/flaky") && !targetHealthy ? { status: 503, body: { error: "maintenance" } } : { status: 200, body: { id: "lead_1", path: request.url } },
    );
    // timeScale shrinks retry delays and sleeps (1 s of backoff becomes 1 ms).
    harness = await startHarness({ db, appId: "switchyard", functions: (client) => [createRunWorkflow(client)], timeScale: 0.001 });
  });
  afterAll(async () => {
    await harness?.close();
    await target?.close();
    setProcessDatabase(undefined);
  });

  const dispatch = (runId: string) => dispatchRun(db, harness.client, runId);
  const waitForRunRow = (runId: string) => waitForFinishedRun(db, runId);

  it("completes a published 4-node flow triggered by an event, with every step in the run log", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode("form", "form_trigger"),
        node("shape", "transform", { fields: [{ path: "email", value: "{{ $lowercase(trigger.body.email) }}" }, { path: "comment", value: "{{ trigger.body.comment }}" }] }),
        node("crm", "http_request", { method: "POST", url: `${target.url}/leads`, jsonBody: { email: "{{ steps.shape.email }}", comment: "{{ steps.shape.comment }}" } }),
        node("notify", "http_request", { method: "POST", url: `${target.url}/notify`, jsonBody: { text: "Lead {{ steps.crm.body.id }} created" } }),
      ],
      edges: [edge("form", "shape"), edge("shape", "crm"), edge("crm", "notify")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: { email: "Ada@Example.com", comment: "{{$string(1+1)}}" } });
    await dispatch(runId);
    const run = await waitForRunRow(runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps.map((step) => [step.nodeId, step.status, step.attempt])).toEqual([
      ["form", "succeeded", 1],
      ["shape", "succeeded", 1],
      ["crm", "succeeded", 1],
      ["notify", "succeeded", 1],
    ]);
    const crm = target.requests.find((request) => request.url === "/leads" && request.headers["idempotency-key"] === `${runId}:crm`)!;
    // The form field that looks like an expression arrives verbatim.
    expect(JSON.parse(crm.body)).toEqual({ email: "ada@example.com", comment: "{{$string(1+1)}}" });
    expect(JSON.parse(target.requests.find((request) => request.headers["idempotency-key"] === `${runId}:notify`)!.body)).toEqual({ text: "Lead lead_1 created" });
    expect(run.steps.every((step) => step.finishedAt && step.durationMs !== null)).toBe(true);
  });

  it("retries a failing HTTP target with backoff, dead-letters the run, and a retry-failed replay succeeds once it recovers", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("prepare", "transform", { fields: [{ path: "order", value: "{{ trigger.body.order }}" }] }),
        node("fulfil", "http_request", { method: "POST", url: `${target.url}/flaky`, jsonBody: { order: "{{ steps.prepare.order }}" }, retry: { maxAttempts: 3, initialDelayMs: 1000, multiplier: 4 } }),
      ],
      edges: [edge("trigger", "prepare"), edge("prepare", "fulfil")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    targetHealthy = false;
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: { order: 1042 } });
    await dispatch(runId);
    const failed = await waitForRunRow(runId);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatchObject({ nodeId: "fulfil", status: 503, message: expect.stringMatching(/^Node "fulfil" failed: POST http:\/\/127\.0\.0\.1:\d+ answered HTTP 503/) });
    const attempts = failed.steps.filter((step) => step.nodeId === "fulfil");
    expect(attempts.map((step) => [step.attempt, step.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "failed"],
    ]);
    // Exponential backoff with jitter: retry 1 is due 0.5–1 s after attempt 1, retry 2 is 2–4 s after attempt 2.
    const gap = (step: (typeof attempts)[number]) => step.nextRetryAt!.getTime() - step.finishedAt!.getTime();
    expect(gap(attempts[0])).toBeGreaterThanOrEqual(450);
    expect(gap(attempts[0])).toBeLessThanOrEqual(1100);
    expect(gap(attempts[1])).toBeGreaterThanOrEqual(1900);
    expect(attempts[2].nextRetryAt).toBeNull();
    expect(target.requests.filter((request) => request.headers["idempotency-key"] === `${runId}:fulfil`)).toHaveLength(3);
    // The dead-letter view lists failed, undismissed runs.
    expect(await db.prisma.run.count({ where: { workspaceId: workspace.id, status: "failed", dismissedAt: null } })).toBe(1);

    targetHealthy = true;
    const replay = await replayRun(db.prisma, { workspaceId: workspace.id, runId, mode: "failed-only", version: "original" });
    await dispatch(replay.runId);
    const replayed = await waitForRunRow(replay.runId);
    expect(replayed.status).toBe("succeeded");
    expect(replayed.steps.find((step) => step.nodeId === "prepare")).toMatchObject({ status: "succeeded", reusedFromRunId: runId });
    expect(replayed.steps.find((step) => step.nodeId === "fulfil")).toMatchObject({ status: "succeeded", attempt: 1, output: { status: 200 } });
  });

  // What the outbox relay does for any stored event.
  async function relay(eventId: string) {
    const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId } });
    await harness.client.send({ id: outbox.eventId, name: outbox.eventName, data: outbox.data as Record<string, unknown> });
  }

  function waitForStepStatus(runId: string, nodeId: string, status: string) {
    return until(() => db.prisma.runStep.findFirst({ where: { runId, nodeId, status: status as never } }), `step ${nodeId} of ${runId} to become ${status}`, 20_000, 50);
  }

  // Events only resume waits registered before they arrive (Inngest semantics), so tests send
  // their event once the engine holds the wait. Users decide long after that.
  async function waitForEngineWait(runId: string, eventName: string) {
    await until(
      async () =>
        (
          await db.query(`SELECT 1 FROM "EngineWait" w JOIN "EngineRun" r ON r.id = w."runId" WHERE r.event->'data'->>'runId' = $1 AND w."eventName" = $2`, [
            runId,
            eventName,
          ])
        ).length > 0,
      `a wait for ${eventName} registered for run ${runId}`,
      20_000,
      25,
    );
  }

  it("runs parallel branches with a retrying node, joins them, and marks a filtered path skipped", async () => {
    const workspace = await seedWorkspace(db.prisma);
    let calls = 0;
    target.respond((request) => {
      if (request.url === "/sometimes") return ++calls === 1 ? { status: 502, body: "bad gateway" } : { status: 200, body: { ok: true } };
      return { status: 200, body: { id: "lead_1", path: request.url } };
    });
    const graph = {
      nodes: [
        triggerNode(),
        node("a", "http_request", { method: "POST", url: `${target.url}/a`, jsonBody: { n: 1 } }),
        node("b", "http_request", { method: "POST", url: `${target.url}/sometimes`, jsonBody: { n: 2 }, retry: { maxAttempts: 2 } }),
        node("gate", "filter", { rules: [{ left: "{{ trigger.body.test }}", operator: "is_false" }] }),
        node("c", "http_request", { method: "POST", url: `${target.url}/c`, jsonBody: { n: 3 } }),
        node("join", "transform", { fields: [{ path: "both", value: "{{ steps.a.status & '+' & steps.b.status }}" }] }),
      ],
      edges: [edge("trigger", "a"), edge("trigger", "b"), edge("trigger", "gate"), edge("gate", "c"), edge("a", "join"), edge("b", "join")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: { test: true } });
    await dispatch(runId);
    const run = await waitForRunRow(runId);
    expect(run.status).toBe("succeeded");
    const status = (id: string) => run.steps.filter((step) => step.nodeId === id).map((step) => step.status);
    expect(status("a")).toEqual(["succeeded"]);
    expect(status("b")).toEqual(["failed", "succeeded"]);
    expect(status("gate")).toEqual(["succeeded"]);
    expect(status("c")).toEqual(["skipped"]);
    expect(run.steps.find((step) => step.nodeId === "join")?.output).toEqual({ both: "200+200" });
    target.respond((request) => (request.url.startsWith("/flaky") && !targetHealthy ? { status: 503, body: { error: "maintenance" } } : { status: 200, body: { id: "lead_1", path: request.url } }));
  });

  it("waits for an approval (run waiting) and continues on the decision sent through the outbox", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("pause", "delay", { duration: { amount: 30, unit: "seconds" } }),
        node("ok", "approval", { message: "Refund {{ trigger.body.amount }}?" }),
        node("refund", "transform", { fields: [{ path: "refunded", value: "{{ trigger.body.amount }}" }] }),
        node("deny", "transform", { fields: [{ path: "refunded", value: "{{ 0 }}" }] }),
      ],
      edges: [edge("trigger", "pause"), edge("pause", "ok"), edge("ok", "refund", "approved"), edge("ok", "deny", "rejected")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: { amount: 40 } });
    await dispatch(runId);
    await waitForStepStatus(runId, "ok", "waiting");
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).status).toBe("waiting");
    await waitForEngineWait(runId, APPROVAL_DECIDED);
    await decideApproval(db.prisma, { workspaceId: workspace.id, runId, nodeId: "ok", decision: "approve", decidedBy: "user_1", comment: "fine" });
    const outbox = await db.prisma.outboxEvent.findFirstOrThrow({ where: { eventName: APPROVAL_DECIDED, eventId: { contains: runId } } });
    await relay(outbox.eventId);
    const run = await waitForRunRow(runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps.find((step) => step.nodeId === "pause")).toMatchObject({ status: "succeeded" });
    expect(run.steps.find((step) => step.nodeId === "ok")).toMatchObject({ status: "succeeded", output: { decision: "approve", decidedBy: "user_1", message: "Refund 40?" } });
    expect(run.steps.find((step) => step.nodeId === "refund")?.output).toEqual({ refunded: 40 });
    expect(run.steps.find((step) => step.nodeId === "deny")?.status).toBe("skipped");
  });

  it("resumes a wait-for-event node on a matching flow event only", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("shipped", "wait_for_event", { eventName: "order.shipped", correlationKey: "{{ trigger.body.order }}", timeout: { amount: 1, unit: "days" } }),
        node("done", "transform", { fields: [{ path: "carrier", value: "{{ steps.shipped.payload.carrier }}" }] }),
      ],
      edges: [edge("trigger", "shipped"), edge("shipped", "done")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: { order: "o-77" } });
    await dispatch(runId);
    await waitForStepStatus(runId, "shipped", "waiting");
    await waitForEngineWait(runId, FLOW_EVENT);
    const other = await sendFlowEvent(db.prisma, { workspaceId: workspace.id, name: "order.shipped", correlationKey: "o-1", payload: { carrier: "wrong" } });
    await relay(other.eventId);
    const right = await sendFlowEvent(db.prisma, { workspaceId: workspace.id, name: "order.shipped", correlationKey: "o-77", payload: { carrier: "DHL" } });
    await relay(right.eventId);
    const run = await waitForRunRow(runId);
    expect(run.status).toBe("succeeded");
    expect(run.steps.find((step) => step.nodeId === "done")?.output).toEqual({ carrier: "DHL" });
  });

  it("cancels a waiting run through the cancel event", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [triggerNode(), node("ok", "approval", { message: "Go?" }), node("after", "http_request", { url: `${target.url}/after-cancel` })],
      edges: [edge("trigger", "ok"), edge("ok", "after", "approved")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" } });
    await dispatch(runId);
    await waitForStepStatus(runId, "ok", "waiting");
    expect(await cancelRun(db.prisma, { workspaceId: workspace.id, runId })).toBe(true);
    await relay(`cancel-${runId}`);
    const engineRuns = await harness.runsOf("switchyard-run-workflow");
    const mine = engineRuns.find((row) => (row.event.data as { runId?: string }).runId === runId)!;
    await harness.waitForRun(mine.id);
    expect((await harness.waitForRun(mine.id)).status).toBe("cancelled");
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
    expect(run.status).toBe("cancelled");
    expect(run.steps.find((step) => step.nodeId === "ok")?.status).toBe("cancelled");
    expect(target.requests.some((request) => request.url === "/after-cancel")).toBe(false);
  });
});
