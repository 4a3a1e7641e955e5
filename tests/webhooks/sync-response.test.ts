import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../helpers/databases";
import { createFixture, post, startHookServer, type HookServer } from "./hook-fixtures";

describeEachDatabase("synchronous response mode", (getDb) => {
  let server: HookServer;
  beforeAll(async () => {
    server = await startHookServer(getDb());
  });
  afterAll(async () => {
    await server.close();
  });

  /** Plays the engine's part: once the queued run exists, finishes it the way the Respond node does. */
  function finishRunsOf(workspaceId: string, output: object, status: "succeeded" | "failed" = "succeeded") {
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const run = await getDb().prisma.run.findFirst({ where: { workspaceId, status: "queued" } });
        if (run) {
          await getDb().prisma.run.update({ where: { id: run.id }, data: { status, output, ...(status === "failed" ? { error: { message: "HTTP node got 500" } } : {}) } });
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    return () => {
      stop = true;
      return loop;
    };
  }

  it("answers with the Respond node's status, body and headers", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 10_000 });
    const done = finishRunsOf(f.workspaceId, { response: { status: 201, body: { greeting: "hi" }, headers: { "x-flow": "yes", "set-cookie": "no" } } });
    const res = await post(server, f.token, '{"name":"Ada"}');
    await done();
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ greeting: "hi" });
    expect(res.headers.get("x-flow")).toBe("yes");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("sandboxes a body the flow chose (e.g. HTML echoing the sender's input) unless the flow sets its own Content-Security-Policy", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 10_000 });
    let done = finishRunsOf(f.workspaceId, { response: { status: 200, body: "<p>Thanks, <script>alert(1)</script></p>", headers: { "content-type": "text/html" } } });
    const html = await post(server, f.token, "{}");
    await done();
    expect(html.text).toBe("<p>Thanks, <script>alert(1)</script></p>");
    expect([html.headers.get("content-security-policy"), html.headers.get("x-content-type-options"), html.headers.get("x-frame-options")]).toEqual(["sandbox", "nosniff", "DENY"]);

    done = finishRunsOf(f.workspaceId, { response: { status: 200, body: "<p>ok</p>", headers: { "content-type": "text/html", "content-security-policy": "default-src 'self'" } } });
    const own = await post(server, f.token, "{}");
    await done();
    expect(own.headers.get("content-security-policy")).toBe("default-src 'self'");
  });

  it("answers 500 with the run's error when the run fails", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 10_000 });
    const done = finishRunsOf(f.workspaceId, {}, "failed");
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
