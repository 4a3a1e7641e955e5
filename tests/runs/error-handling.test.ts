// Error paths on action nodes (onError: fail / continue / route) end to end: the embedded engine
// (inngest/local) drives run-workflow through the real SDK serve handler, on PostgreSQL, against a
// loopback HTTP server that answers 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunWorkflow } from "@/inngest/functions/run-workflow";
import { setProcessDatabase } from "@/lib/db";
import { validateFlow } from "@/lib/flows/validate-flow";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase, type TestDatabase } from "../helpers/databases";
import { startHarness, type Harness } from "../engine/harness";
import { edge, node, seedPublishedFlow, seedWorkspace, startTestServer, triggerNode, type TestServer } from "../helpers/flows-and-receivers";
import { dispatchRun, waitForFinishedRun } from "../helpers/engine-runs";

describeEachDatabase("onError through the embedded engine", (getDb) => {
  let db: TestDatabase;
  let harness: Harness;
  let broken: TestServer;
  let healthy: TestServer;

  beforeAll(async () => {
    db = getDb();
    setProcessDatabase(db);
    broken = await startTestServer(() => ({ status: 500, body: { error: "database is down" } }));
    healthy = await startTestServer();
    harness = await startHarness({ db, appId: "switchyard", functions: (client) => [createRunWorkflow(client)], timeScale: 0.001 });
  });
  afterAll(async () => {
    await harness?.close();
    await broken?.close();
    await healthy?.close();
    setProcessDatabase(undefined);
  });

  async function run(graph: { nodes: ReturnType<typeof node>[]; edges: ReturnType<typeof edge>[] }) {
    expect(validateFlow(graph, { forPublish: true })).toEqual([]);
    const workspace = await seedWorkspace(db.prisma);
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: { order: 7 } });
    await dispatchRun(db, harness.client, runId);
    return waitForFinishedRun(db, runId);
  }

  const failingCall = (onError?: string) =>
    node("call", "http_request", { method: "POST", url: `${broken.url}/orders`, jsonBody: { order: "{{ trigger.body.order }}" }, retry: { maxAttempts: 2, initialDelayMs: 1000 }, ...(onError ? { onError } : {}) });

  it("continue: the step fails after its retries, its error is its output, and the run goes on and succeeds", async () => {
    const finished = await run({
      nodes: [
        triggerNode(),
        failingCall("continue"),
        node("after", "transform", { fields: [{ path: "reason", value: "{{ steps.call.error.message }}" }, { path: "status", value: "{{ steps.call.error.status }}" }] }),
      ],
      edges: [edge("trigger", "call"), edge("call", "after")],
    });
    expect(finished.status).toBe("succeeded");
    expect(finished.error).toBeNull();
    const call = finished.steps.filter((step) => step.nodeId === "call");
    expect(call.map((step) => [step.attempt, step.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
    ]);
    // Only the last attempt is the handled one; the first was retried.
    expect(call[0].error).not.toHaveProperty("handled");
    expect(call[1].error).toMatchObject({ handled: "continued", status: 500 });
    const after = finished.steps.find((step) => step.nodeId === "after")!;
    expect(after.status).toBe("succeeded");
    expect(after.output).toEqual({ reason: expect.stringMatching(/answered HTTP 500/), status: 500 });
  });

  it("route: after its retries the step takes only its error output; the normal path is skipped", async () => {
    const finished = await run({
      nodes: [
        triggerNode(),
        failingCall("route"),
        node("confirm", "http_request", { method: "POST", url: `${healthy.url}/confirm`, jsonBody: { ok: true } }),
        node("alert", "http_request", { method: "POST", url: `${healthy.url}/alert`, jsonBody: { failed: "{{ steps.call.error.message }}", code: "{{ steps.call.error.status }}" } }),
      ],
      edges: [edge("trigger", "call"), edge("call", "confirm"), edge("call", "alert", "error")],
    });
    expect(finished.status).toBe("succeeded");
    const status = Object.fromEntries(finished.steps.map((step) => [`${step.nodeId}#${step.attempt}`, step.status]));
    expect(status).toEqual({ "trigger#1": "succeeded", "call#1": "failed", "call#2": "failed", "confirm#1": "skipped", "alert#1": "succeeded" });
    expect(finished.steps.find((step) => step.nodeId === "call" && step.attempt === 2)?.error).toMatchObject({ handled: "routed" });
    const alert = healthy.requests.find((request) => request.headers["idempotency-key"] === `${finished.id}:alert`)!;
    expect(JSON.parse(alert.body)).toEqual({ failed: expect.stringMatching(/answered HTTP 500/), code: 500 });
    expect(healthy.requests.some((request) => request.headers["idempotency-key"] === `${finished.id}:confirm`)).toBe(false);
  });

  it("fail (the default): the run fails at the step and nothing after it runs", async () => {
    const finished = await run({
      nodes: [triggerNode(), failingCall(), node("after", "transform", { fields: [{ path: "x", value: "1" }] })],
      edges: [edge("trigger", "call"), edge("call", "after")],
    });
    expect(finished.status).toBe("failed");
    expect(finished.error).toMatchObject({ nodeId: "call", status: 500 });
    expect(finished.steps.find((step) => step.nodeId === "call" && step.attempt === 2)?.error).not.toHaveProperty("handled");
    expect(finished.steps.find((step) => step.nodeId === "after")?.status).toBe("skipped");
  });

  it("continue inside a loop's item branch: each item's failure is handled and the loop finishes", async () => {
    const finished = await run({
      nodes: [
        triggerNode(),
        node("loop", "for_each", { items: "{{ [1, 2] }}" }),
        node("call", "http_request", { method: "POST", url: `${broken.url}/items`, jsonBody: { n: "{{ item }}" }, retry: { maxAttempts: 1 }, onError: "continue" }),
        node("after", "transform", { fields: [{ path: "items", value: "{{ $count(steps.loop) }}" }] }),
      ],
      edges: [edge("trigger", "loop"), edge("loop", "call", "item"), edge("loop", "after", "done")],
    });
    expect(finished.error).toBeNull();
    expect(finished.status).toBe("succeeded");
    const calls = finished.steps.filter((step) => step.nodeId === "call");
    expect(calls.map((step) => [step.itemIndex, step.status, (step.error as { handled?: string } | null)?.handled])).toEqual([
      [0, "failed", "continued"],
      [1, "failed", "continued"],
    ]);
    expect(finished.steps.find((step) => step.nodeId === "after")?.output).toEqual({ items: 2 });
  });

  it("continue on a step that runs inline (a transform whose expression throws)", async () => {
    const finished = await run({
      nodes: [
        triggerNode(),
        node("shape", "transform", { mode: "expression", expression: '$error("no order number")', onError: "continue" }),
        node("after", "transform", { fields: [{ path: "reason", value: "{{ steps.shape.error.message }}" }] }),
      ],
      edges: [edge("trigger", "shape"), edge("shape", "after")],
    });
    expect(finished.status).toBe("succeeded");
    expect(finished.steps.find((step) => step.nodeId === "shape")).toMatchObject({ status: "failed", error: { handled: "continued" } });
    expect(finished.steps.find((step) => step.nodeId === "after")?.output).toEqual({ reason: expect.stringContaining("no order number") });
  });
});

describe("onError validation", () => {
  const graph = (onError: unknown, sourcePort = "error") => ({
    nodes: [triggerNode(), node("call", "http_request", { url: "https://example.com", ...(onError === undefined ? {} : { onError }) }), node("log", "transform", { fields: [{ path: "x", value: "1" }] })],
    edges: [edge("trigger", "call"), edge("call", "log", sourcePort)],
  });

  it("flags an error edge from a node that does not route its errors", () => {
    for (const onError of [undefined, "fail", "continue"]) {
      expect(validateFlow(graph(onError), { forPublish: true })).toEqual([
        {
          edgeId: "call-error-log",
          nodeId: "call",
          message: 'Edge "call-error-log" leaves node "call" through its error output, but that node is not set to "Route to the error output" (On error): change the setting or remove the edge',
        },
      ]);
    }
  });

  it("accepts the error edge when the node routes its errors", () => {
    expect(validateFlow(graph("route"), { forPublish: true })).toEqual([]);
  });

  it("rejects an unknown setting and one on a trigger", () => {
    expect(validateFlow(graph("retry-forever", "out"), { forPublish: true })).toEqual([
      { nodeId: "call", field: "onError", message: 'Node "call": onError: must be one of fail, continue, route (got "retry-forever")' },
    ]);
    const onTrigger = graph(undefined, "out");
    onTrigger.nodes[0] = { ...triggerNode(), config: { onError: "continue" } } as ReturnType<typeof node>;
    expect(validateFlow(onTrigger, { forPublish: true })).toEqual([
      { nodeId: "trigger", field: "onError", message: 'Node "trigger": onError: triggers cannot handle their own errors (remove "continue")' },
    ]);
  });

  it("refuses a setting on a loop: its item branch's steps handle their errors", () => {
    const loop = { nodes: [triggerNode(), node("loop", "for_each", { items: "{{ trigger.body.lines }}", onError: "route" })], edges: [edge("trigger", "loop")] };
    expect(validateFlow(loop, { forPublish: true })).toContainEqual({
      nodeId: "loop",
      field: "onError",
      message: 'Node "loop": onError: loops cannot handle their own errors; set "On error" on the steps of the item branch instead (remove "route")',
    });
  });

  it("refuses to route into a switch case that is itself named error", () => {
    const issues = validateFlow(
      {
        nodes: [triggerNode(), node("route", "switch", { cases: [{ name: "error", rules: [{ left: "{{ trigger.body.kind }}", operator: "equals", right: "x" }] }], onError: "route" })],
        edges: [edge("trigger", "route")],
      },
      { forPublish: true },
    );
    expect(issues.map((issue) => issue.message)).toContain('Node "route" has an output named "error" of its own, so its failures cannot be routed there: rename that output or choose another "On error" setting');
  });
});
