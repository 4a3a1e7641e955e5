// run-workflow through the real Inngest SDK (@inngest/test), on PostgreSQL, with
// real HTTP targets on loopback.
import { InngestTestEngine, mockCtx } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { runWorkflow } from "@/inngest/functions/run-workflow";
import { setProcessDatabase } from "@/lib/db";
import { createCredential } from "@/lib/credentials/manage-credentials";
import { secretBox } from "@/lib/crypto/secret-box";
import { cancelRun } from "@/lib/runs/control-runs";
import { getRun } from "@/lib/runs/query-runs";
import { replayRun } from "@/lib/runs/replay-run";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase } from "../helpers/databases";
import { edge, node, seedPublishedFlow, seedWorkspace, startTestServer, triggerNode, type TestServer } from "../helpers/flows-and-receivers";

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
      const attempt1 = await db.prisma.runStep.findFirstOrThrow({ where: { runId: data.runId, nodeId: "call", itemIndex: null, attempt: 1 } });
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

  it("runs the pinned version even after a newer version is published", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const v1 = { nodes: [triggerNode(), node("t", "transform", { fields: [{ path: "v", value: "one" }] })], edges: [edge("trigger", "t")] };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, v1);
    const { data } = await requestRun(workspace.id, flow.id, {});
    const v2graph = { nodes: [triggerNode(), node("t", "transform", { fields: [{ path: "v", value: "two" }] })], edges: [edge("trigger", "t")] };
    const v2 = await db.prisma.flowVersion.create({ data: { flowId: flow.id, workspaceId: workspace.id, version: 2, graph: v2graph } });
    await db.prisma.flow.update({ where: { id: flow.id }, data: { activeVersionId: v2.id, draftGraph: v2graph } });
    await engine(data).execute();
    const step = await db.prisma.runStep.findFirstOrThrow({ where: { runId: data.runId, nodeId: "t" } });
    expect(step.output).toEqual({ v: "one" });
  });

  it("executes a test run of the draft snapshot", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = { nodes: [triggerNode(), node("t", "transform", { fields: [{ path: "hello", value: "{{ trigger.body.name }}" }] })], edges: [edge("trigger", "t")] };
    const flow = await db.prisma.flow.create({ data: { workspaceId: workspace.id, name: "draft", draftGraph: graph, samplePayload: { name: "Ada" } } });
    const started = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "draft" } });
    const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: started.runId } });
    const { result } = await engine(outbox.data as unknown as RunRequestedData).execute();
    expect(result).toMatchObject({ status: "succeeded" });
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: started.runId }, include: { steps: true } });
    expect(run.isTest).toBe(true);
    expect(run.steps.find((step) => step.nodeId === "t")?.output).toEqual({ hello: "Ada" });
    expect(run.output).toEqual({ t: { hello: "Ada" } });
  });

  it("retry-failed replay reuses succeeded steps and reruns only the failed part", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    let healthy = false;
    const flaky = await startTestServer((request) => (request.url === "/b" && !healthy ? { status: 500, body: { error: "boom" } } : { status: 200, body: { path: request.url } }));
    try {
      const graph = {
        nodes: [
          triggerNode(),
          node("a", "http_request", { method: "POST", url: `${flaky.url}/a`, jsonBody: { n: 1 } }),
          node("b", "http_request", { method: "POST", url: `${flaky.url}/b`, jsonBody: { from_a: "{{ steps.a.body.path }}" }, retry: { maxAttempts: 1 } }),
        ],
        edges: [edge("trigger", "a"), edge("a", "b")],
      };
      const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
      const { data } = await requestRun(workspace.id, flow.id, {});
      const first = await engine(data).execute();
      expect(first.error).toBeDefined();
      expect((await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId } })).status).toBe("failed");
      expect(flaky.requests.map((request) => request.url)).toEqual(["/a", "/b"]);

      healthy = true;
      const replay = await replayRun(db.prisma, { workspaceId: workspace.id, runId: data.runId, mode: "failed-only", version: "original" });
      const replayEvent = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: replay.runId } });
      const second = await engine(replayEvent.data as unknown as RunRequestedData).execute();
      expect(second.error).toBeUndefined();
      // "a" was not called again; "b" got a's stored output.
      expect(flaky.requests.map((request) => request.url)).toEqual(["/a", "/b", "/b"]);
      expect(JSON.parse(flaky.requests[2].body)).toEqual({ from_a: "/a" });
      const steps = await db.prisma.runStep.findMany({ where: { runId: replay.runId } });
      expect(steps.find((step) => step.nodeId === "a")).toMatchObject({ status: "succeeded", reusedFromRunId: data.runId, input: { method: "POST", url: `${flaky.url}/a` } });
      expect(steps.find((step) => step.nodeId === "b")).toMatchObject({ status: "succeeded", reusedFromRunId: null });
      expect((await db.prisma.run.findUniqueOrThrow({ where: { id: replay.runId } })).status).toBe("succeeded");
    } finally {
      await flaky.close();
    }
  });

  it("sleeps for delays and continues through an approval's decision", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("wait", "delay", { duration: { amount: 1, unit: "hours" } }),
        node("ok", "approval", { message: "Ship order {{ trigger.body.id }}?" }),
        node("ship", "transform", { fields: [{ path: "shipped", value: "{{ true }}" }] }),
        node("cancel", "transform", { fields: [{ path: "shipped", value: "{{ false }}" }] }),
      ],
      edges: [edge("trigger", "wait"), edge("wait", "ok"), edge("ok", "ship", "approved"), edge("ok", "cancel", "rejected")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { data } = await requestRun(workspace.id, flow.id, { id: 7 });
    // @inngest/test 1.0 cannot feed a mocked waitForEvent result through SDK 4's event validation,
    // so the wait tool itself is replaced; the options it receives are still asserted below.
    const decision = { name: "switchyard/approval.decided", data: { decision: "approve", decidedBy: "u1", comment: "go" } };
    const t = new InngestTestEngine({
      function: runWorkflow,
      events: [{ name: RUN_REQUESTED, data }],
      steps: [{ id: "node:wait:sleep", handler: () => null }],
      transformCtx: (raw) => {
        const ctx = mockCtx(raw);
        ctx.step.waitForEvent = vi.fn(async () => decision) as unknown as typeof ctx.step.waitForEvent;
        return ctx;
      },
    });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ status: "succeeded" });
    expect(ctx.step.sleepUntil).toHaveBeenCalledWith("node:wait:sleep", expect.any(Date));
    expect(ctx.step.waitForEvent).toHaveBeenCalledWith("node:ok:wait", {
      event: "switchyard/approval.decided",
      if: `async.data.runId == "${data.runId}" && async.data.nodeId == "ok"`,
      timeout: 3 * 86_400_000,
    });
    const steps = Object.fromEntries((await db.prisma.runStep.findMany({ where: { runId: data.runId } })).map((step) => [step.nodeId, step]));
    expect(steps.ok).toMatchObject({ status: "succeeded", output: { decision: "approve", decidedBy: "u1", message: "Ship order 7?" } });
    expect(steps.ship.status).toBe("succeeded");
    expect(steps.cancel.status).toBe("skipped");
  });

  it("runs pure nodes inline between durable steps, once in the run log however often the function replays; a node reading the clock keeps its own step", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("shape", "transform", { fields: [{ path: "email", value: "{{ trigger.body.email }}" }] }),
        node("known", "condition", { combinator: "and", rules: [{ left: "{{ steps.shape.email }}", operator: "is_not_empty", right: "" }] }),
        node("stamp", "transform", { fields: [{ path: "at", value: "{{ $now() }}" }] }),
        node("wait", "delay", { duration: { amount: 1, unit: "hours" } }),
        node("after", "transform", { fields: [{ path: "email", value: "{{ steps.shape.email }}" }, { path: "at", value: "{{ steps.stamp.at }}" }] }),
      ],
      edges: [edge("trigger", "shape"), edge("shape", "known"), edge("known", "stamp", "true"), edge("stamp", "wait"), edge("wait", "after")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { data } = await requestRun(workspace.id, flow.id, { email: "ada@example.com" });
    const t = new InngestTestEngine({ function: runWorkflow, events: [{ name: RUN_REQUESTED, data }], steps: [{ id: "node:wait:sleep", handler: () => null }] });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ status: "succeeded" });
    const stepIds = new Set((ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map(([id]) => id));
    expect(stepIds.has("node:stamp")).toBe(true);
    expect(stepIds.has("node:wait")).toBe(true);
    for (const inline of ["node:shape", "node:known", "node:after"]) expect(stepIds.has(inline)).toBe(false);

    // Inline nodes can start within the same millisecond: compare in the flow's order, not by time.
    const order = ["trigger", "shape", "known", "stamp", "wait", "after"];
    const rows = (await db.prisma.runStep.findMany({ where: { runId: data.runId } })).sort((a, b) => order.indexOf(a.nodeId) - order.indexOf(b.nodeId));
    expect(rows.map((row) => [row.nodeId, row.attempt, row.status])).toEqual([
      ["trigger", 1, "succeeded"],
      ["shape", 1, "succeeded"],
      ["known", 1, "succeeded"],
      ["stamp", 1, "succeeded"],
      ["wait", 1, "succeeded"],
      ["after", 1, "succeeded"],
    ]);
    const stamp = rows.find((row) => row.nodeId === "stamp")?.output as { at: string };
    // The clock was read once, in its step: the node after the delay sees that same value.
    expect(rows.find((row) => row.nodeId === "after")?.output).toEqual({ email: "ada@example.com", at: stamp.at });
  });

  it("redacts secrets and caps large outputs in the run log", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("call", "http_request", { method: "POST", url: `${target.url}/auth`, headers: [{ name: "Authorization", value: "Bearer literal-secret-987" }], jsonBody: { a: 1 } }),
        node("big", "transform", { fields: [{ path: "blob", value: "{{ $pad('', 300000, 'x') }}" }] }),
      ],
      edges: [edge("trigger", "call"), edge("call", "big")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { data } = await requestRun(workspace.id, flow.id, {});
    await engine(data).execute();
    expect(target.requests.at(-1)!.headers.authorization).toBe("Bearer literal-secret-987");
    const steps = Object.fromEntries((await db.prisma.runStep.findMany({ where: { runId: data.runId } })).map((step) => [step.nodeId, step]));
    expect(JSON.stringify(steps.call.input)).not.toContain("literal-secret-987");
    expect(steps.call.input).toMatchObject({ headers: [{ name: "Authorization", value: "[redacted]" }] });
    expect(steps.big.truncated).toBe(true);
    expect(steps.big.output).toMatchObject({ truncated: true, originalBytes: expect.any(Number) });
    expect(JSON.stringify(steps.big.output).length).toBeLessThanOrEqual(256 * 1024 + 100);
  });

  it("scrubs every form of a credential from stored inputs, outputs and errors: Basic base64(user:pass), URL-encoded, the token part of a webhook URL", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const user = "ops";
    const password = "p@ss w0rd/9f3k";
    const basic = Buffer.from(`${user}:${password}`).toString("base64");
    const slackPath = "/services/T0001/B0001/abCDef1234567890xyZ";
    const echo = await startTestServer((req) => {
      // Like a server that decodes the Basic credential and echoes it back in the forms it knows.
      const seen = req.headers.authorization ? `authorization=${req.headers.authorization} encoded=${encodeURIComponent(password)} path=${req.url}` : `path=${req.url}`;
      if (req.url === "/deny") return { status: 401, body: { message: `refused ${req.headers.authorization}`, echo: seen } };
      return { status: 200, headers: { "content-type": "text/plain" }, body: seen };
    });
    try {
      const basicId = (await createCredential(db.prisma, { workspaceId: workspace.id, name: "crm basic", type: "basic_auth", data: { username: user, password } })).id;
      const slackId = (await createCredential(db.prisma, { workspaceId: workspace.id, name: "team slack", type: "slack_webhook", data: { url: `${echo.url}${slackPath}` } })).id;
      const graph = {
        nodes: [
          triggerNode(),
          node("notify", "slack_message", { credentialId: slackId, text: "hello" }),
          node("echo", "http_request", { method: "GET", url: `${echo.url}/echo`, authCredentialId: basicId, responseFormat: "text" }),
          node("deny", "http_request", { method: "GET", url: `${echo.url}/deny`, authCredentialId: basicId, retry: { maxAttempts: 1 } }),
        ],
        edges: [edge("trigger", "notify"), edge("notify", "echo"), edge("echo", "deny")],
      };
      const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
      const { data } = await requestRun(workspace.id, flow.id, {});
      await engine(data).execute();
      expect(echo.requests.find((r) => r.url === "/echo")!.headers.authorization).toBe(`Basic ${basic}`); // sent as it must be

      const run = await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId }, include: { steps: true } });
      expect(run.status).toBe("failed");
      const steps = Object.fromEntries(run.steps.map((step) => [step.nodeId, step]));
      expect(steps.echo.output).toMatchObject({ status: 200, body: "authorization=Basic [redacted] encoded=[redacted] path=/echo" });
      expect(steps.notify.output).toMatchObject({ response: expect.stringContaining("path=[redacted]") });
      expect(steps.deny.error).toMatchObject({ status: 401, body: { message: "refused Basic [redacted]" } });
      const stored = JSON.stringify([run.output, run.error, run.steps.map((step) => [step.input, step.output, step.error])]);
      for (const form of [basic, password, encodeURIComponent(password), slackPath, "abCDef1234567890xyZ"]) expect(stored).not.toContain(form);
    } finally {
      await echo.close();
    }
  });

  it("keeps stack traces out of the run log and the runs API; an unexpected error's stack goes to the server log", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const failing = await startTestServer(() => ({ status: 500, body: { error: "upstream down" } }));
    // Credential data that no longer parses (as after a bad manual edit): an error nobody explained.
    const brokenId = (await createCredential(db.prisma, { workspaceId: workspace.id, name: "broken", type: "bearer_token", data: { token: "tok-12345678" } })).id;
    await db.prisma.credential.update({ where: { id: brokenId }, data: { dataEncrypted: secretBox().encryptJson({ token: 42 }) } });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const graph = {
        nodes: [
          triggerNode(),
          node("upstream", "http_request", { method: "POST", url: `${failing.url}/orders`, jsonBody: { a: 1 }, retry: { maxAttempts: 1 } }),
          node("broken", "http_request", { method: "POST", url: `${failing.url}/other`, authCredentialId: brokenId, retry: { maxAttempts: 1 } }),
        ],
        edges: [edge("trigger", "upstream"), edge("trigger", "broken")],
      };
      const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
      const { data } = await requestRun(workspace.id, flow.id, {});
      await engine(data).execute();

      const detail = await getRun(db.prisma, workspace.id, data.runId);
      const upstream = detail.steps.find((step) => step.nodeId === "upstream")!;
      expect(upstream.error).toEqual({ name: "NodeError", message: expect.stringContaining("answered HTTP 500"), code: "unexpected_status", status: 500, body: { error: "upstream down" }, retryable: false });
      const broken = detail.steps.find((step) => step.nodeId === "broken")!;
      expect(broken.error).toMatchObject({ name: "ZodError", message: expect.any(String) });
      const rows = await db.prisma.runStep.findMany({ where: { runId: data.runId } });
      const shown = JSON.stringify([detail, rows.map((row) => row.error), (await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId } })).error]);
      expect(shown).not.toMatch(/"stack"|\.ts:\d+|node_modules|\n\s+at /);

      const serverLog = logged.mock.calls.map((call) => call.join(" ")).join("\n");
      expect(serverLog).toMatch(new RegExp(`\\[runs\\] run ${data.runId} node "broken" attempt 1 failed: ZodError[^]*\\n\\s+at `));
      expect(serverLog).not.toContain('node "upstream"'); // a remote's HTTP 500 is explained by its message
    } finally {
      logged.mockRestore();
      await failing.close();
    }
  });

  it("never shows the stack trace a run log row stored before it was left out", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const { flow, version } = await seedPublishedFlow(db.prisma, workspace.id, { nodes: [triggerNode()], edges: [] });
    const stack = "TypeError: x is undefined\n    at run (/srv/switchyard/lib/nodes/http_request/run.ts:42:7)";
    const run = await db.prisma.run.create({
      data: { workspaceId: workspace.id, flowId: flow.id, flowVersionId: version.id, status: "failed", triggerPayload: {}, error: { message: "boom", stack } },
    });
    await db.prisma.runStep.create({ data: { runId: run.id, nodeId: "trigger", nodeKind: "webhook_trigger", status: "failed", error: { message: "boom", stack } } });
    const detail = await getRun(db.prisma, workspace.id, run.id);
    expect(detail.error).toEqual({ message: "boom" });
    expect(detail.steps[0].error).toEqual({ message: "boom" });
  });

  it("fails a run defensively when its stored version is invalid, naming the problem", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = { nodes: [triggerNode(), node("x", "ftp_upload", {})], edges: [edge("trigger", "x")] };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { data } = await requestRun(workspace.id, flow.id, {});
    const { error } = await engine(data).execute();
    expect((error as { message?: string }).message).toBe('Flow version 1 is invalid: Node "x" has unknown kind "ftp_upload"');
    expect(await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId } })).toMatchObject({ status: "failed", error: { code: "invalid_flow" } });
  });

  it("sends the flow's alert when a run fails for good", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const credentialId = (await createCredential(db.prisma, { workspaceId: workspace.id, name: "ops slack", type: "slack_webhook", data: { url: `${target.url}/slack-alerts` } })).id;
    const graph = { nodes: [triggerNode(), node("t", "transform", { fields: [{ path: "n", value: "{{ $number('x') }}" }] })], edges: [edge("trigger", "t")] };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph, { alerts: { enabled: true, rule: "first_failure", credentialId } });
    const { data } = await requestRun(workspace.id, flow.id, {});
    await engine(data).execute();
    const alert = target.requests.at(-1)!;
    expect(alert.url).toBe("/slack-alerts");
    // The alert links to the run in the app (PUBLIC_URL).
    expect(JSON.parse(alert.body).text).toMatch(new RegExp(`^Switchyard: flow ".*" failed \\(http://localhost:3000/runs/${data.runId}\\): Node "t" failed: Expression`));
    expect(await db.prisma.alertNotification.findFirst({ where: { flowId: flow.id } })).toMatchObject({ status: "sent", rule: "first_failure", runId: data.runId });
  });

  it("ends as skipped when a filter stops the only path before anything was done", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [triggerNode(), node("only_paid", "filter", { rules: [{ left: "{{ trigger.body.paid }}", operator: "is_true" }] }), node("ship", "http_request", { url: `${target.url}/ship` })],
      edges: [edge("trigger", "only_paid"), edge("only_paid", "ship")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const { data } = await requestRun(workspace.id, flow.id, { paid: false });
    const { result } = await engine(data).execute();
    expect(result).toMatchObject({ status: "skipped" });
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId }, include: { steps: true } });
    expect(run.status).toBe("skipped");
    expect(run.steps.find((step) => step.nodeId === "ship")).toMatchObject({ status: "skipped", output: { skipped: "inactive_branch" } });
  });

  it("holds a run queued while the flow's maxConcurrentRuns are running, then runs it", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const graph = { nodes: [triggerNode(), node("t", "transform", { fields: [{ path: "a", value: "1" }] })], edges: [edge("trigger", "t")] };
    const { flow, version } = await seedPublishedFlow(db.prisma, workspace.id, graph, { maxConcurrentRuns: 1 });
    const busy = await db.prisma.run.create({ data: { workspaceId: workspace.id, flowId: flow.id, flowVersionId: version.id, status: "running", triggerPayload: {} } });
    const { data } = await requestRun(workspace.id, flow.id, {});
    let statusWhileBlocked = "";
    const t = new InngestTestEngine({
      function: runWorkflow,
      events: [{ name: RUN_REQUESTED, data }],
      steps: [
        {
          id: "run:slot-wait:0",
          // While it waits, the run is still queued; then the other run finishes.
          handler: async () => {
            statusWhileBlocked = (await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId } })).status;
            await db.prisma.run.update({ where: { id: busy.id }, data: { status: "succeeded" } });
            return null;
          },
        },
      ],
    });
    const { result, ctx } = await t.execute();
    expect(statusWhileBlocked).toBe("queued");
    expect(ctx.step.sleep).toHaveBeenCalledWith("run:slot-wait:0", 1000);
    expect(ctx.step.run).toHaveBeenCalledWith("run:slot:1", expect.any(Function));
    expect(result).toMatchObject({ status: "succeeded" });
    expect((await db.prisma.run.findUniqueOrThrow({ where: { id: data.runId } })).startedAt).not.toBeNull();
  });

  it("does nothing for a run that was cancelled before it started", async () => {
    const db = getDb();
    const workspace = await seedWorkspace(db.prisma);
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, { nodes: [triggerNode(), node("call", "http_request", { url: `${target.url}/never` })], edges: [edge("trigger", "call")] });
    const { data } = await requestRun(workspace.id, flow.id, {});
    await cancelRun(db.prisma, { workspaceId: workspace.id, runId: data.runId });
    const { result } = await engine(data).execute();
    expect(result).toMatchObject({ status: "not_run" });
    expect(target.requests.some((request) => request.url === "/never")).toBe(false);
    expect(await db.prisma.runStep.count({ where: { runId: data.runId } })).toBe(0);
  });
});

describe("run-workflow function options", () => {
  it("is triggered by run.requested and limits concurrency per flow", () => {
    const config = runWorkflow["getConfig"]({ baseUrl: new URL("http://localhost/api/inngest"), appPrefix: "switchyard" })[0];
    expect(config.triggers).toEqual([{ event: RUN_REQUESTED }]);
    expect(config.concurrency).toEqual([{ key: "event.data.flowId", limit: 10 }]);
  });
});
