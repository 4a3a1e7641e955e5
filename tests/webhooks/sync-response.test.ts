import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { createFixture, post, startHookServer, type HookServer } from "./hook-fixtures";

describeEachDatabase("synchronous response mode", (getDb) => {
  let server: HookServer;
  beforeAll(async () => {
    server = await startHookServer(getDb());
  });
  afterAll(async () => {
    await server.close();
  });

  /** Plays the engine's part: once the queued run exists, records its steps and ends it as the engine would. */
  function finishRunsOf(workspaceId: string, outcome: { respond?: object; truncated?: boolean; status?: "succeeded" | "failed"; output?: object }) {
    let stop = false;
    const loop = (async () => {
      const { prisma } = getDb();
      const run = await until(async () => stop || (await prisma.run.findFirst({ where: { workspaceId, status: "queued" } })), "a queued run", 30_000, 10);
      if (run === true) return; // stopped first
      if (outcome.respond) await prisma.runStep.create({ data: { runId: run.id, nodeId: "reply", nodeKind: "respond", status: "succeeded", output: outcome.respond, truncated: outcome.truncated ?? false, finishedAt: new Date() } });
      const status = outcome.status ?? "succeeded";
      await prisma.run.update({ where: { id: run.id }, data: { status, output: outcome.output ?? {}, ...(status === "failed" ? { error: { message: "HTTP node got 500" } } : {}) } });
    })();
    return () => {
      stop = true;
      return loop;
    };
  }

  it("answers with the Respond node's status, body and headers", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 10_000 });
    const done = finishRunsOf(f.workspaceId, { respond: { status: 201, body: { greeting: "hi" }, headers: { "content-type": "application/json", "x-flow": "yes", "set-cookie": "no" } }, output: { reply: "the run's output" } });
    const res = await post(server, f.token, '{"name":"Ada"}');
    await done();
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ greeting: "hi" });
    expect(res.headers.get("x-flow")).toBe("yes");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("sandboxes a body the flow chose (e.g. HTML echoing the sender's input) unless the flow sets its own Content-Security-Policy", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 10_000 });
    let done = finishRunsOf(f.workspaceId, { respond: { status: 200, body: "<p>Thanks, <script>alert(1)</script></p>", headers: { "content-type": "text/html" } } });
    const html = await post(server, f.token, "{}");
    await done();
    expect(html.text).toBe("<p>Thanks, <script>alert(1)</script></p>");
    expect([html.headers.get("content-security-policy"), html.headers.get("x-content-type-options"), html.headers.get("x-frame-options")]).toEqual(["sandbox", "nosniff", "DENY"]);

    done = finishRunsOf(f.workspaceId, { respond: { status: 200, body: "<p>ok</p>", headers: { "content-type": "text/html", "content-security-policy": "default-src 'self'" } } });
    const own = await post(server, f.token, "{}");
    await done();
    expect(own.headers.get("content-security-policy")).toBe("default-src 'self'");
  });

  it("answers 200 with the run's status and no step data when the run ends without a Respond step", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 10_000 });
    const done = finishRunsOf(f.workspaceId, { output: { lookup: { internal: "customer record" } } });
    const res = await post(server, f.token, "{}");
    await done();
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ deliveryId: expect.any(String), runId: expect.any(String), status: "succeeded", statusUrl: `https://switchyard.test/api/v1/runs/${res.json.runId}` });
  });

  it("answers 500 response_too_large when the run log kept only a preview of the response", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 10_000 });
    const done = finishRunsOf(f.workspaceId, { respond: { truncated: true, originalBytes: 300_000, preview: '{"status":200,' }, truncated: true });
    const res = await post(server, f.token, "{}");
    await done();
    expect(res.status).toBe(500);
    expect(res.json.error?.code).toBe("response_too_large");
  });

  it("answers 500 with the run's error when the run fails", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 10_000 });
    const done = finishRunsOf(f.workspaceId, { status: "failed" });
    const res = await post(server, f.token, "{}");
    await done();
    expect(res.status).toBe(500);
    expect(res.json.error).toEqual({ code: "run_failed", message: "HTTP node got 500" });
  });

  it("answers 202 with the status URL instead of hanging when the run does not finish in time", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 150 });
    const res = await post(server, f.token, "{}");
    expect(res.status).toBe(202);
    expect(res.json.statusUrl).toBe(`https://switchyard.test/api/v1/runs/${res.json.runId}`);
  });
});
