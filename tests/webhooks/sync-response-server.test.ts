// Synchronous response mode end to end: a real server process (server.ts when built, else the same
// webhook handler and engine without Next.js) runs the flow and answers the sender with what the
// Respond node produced, or 202 once the endpoint's wait is over.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { createFixture } from "./hook-fixtures";
import { serverTsServesHooks, startServerProcess, type RunningServer } from "./support/processes";

const SECRET_KEY = "e".repeat(64);
const SCRIPT = serverTsServesHooks() ? "server.ts" : "tests/webhooks/support/serve-hooks.ts";

const respond = {
  id: "reply",
  kind: "respond",
  name: "Reply",
  config: { status: 200, headers: [{ name: "x-from", value: "switchyard" }], body: { received: "{{ trigger.body.name }}", ok: true } },
  position: { x: 300, y: 0 },
};

describe(`synchronous response through ${SCRIPT} [postgres]`, () => {
  let pg: TestDatabase;
  let dataDir: string;
  let server: RunningServer;

  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = SECRET_KEY;
    pg = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "switchyard-sync-"));
    server = await startServerProcess(SCRIPT, { DATABASE_URL: pg.url, DATA_DIR: dataDir, SWITCHYARD_SECRET_KEY: SECRET_KEY, SERVE_RUNS: "1" });
  }, 180_000);

  afterAll(async () => {
    await server?.kill("SIGTERM");
    await pg?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers with the Respond node's status, headers and body", { timeout: 120_000 }, async () => {
    const f = await createFixture(pg, "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 60_000 }, {
      nodes: [respond],
      edges: [{ id: "e1", source: "trigger", sourcePort: "out", target: "reply" }],
    });
    const res = await fetch(`${server.url}/api/hooks/${f.token}`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"Ada"}' });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-from")).toBe("switchyard");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ received: "Ada", ok: true });
  });

  it("answers 202 with the run's status URL when the Respond node comes later than the wait allows", { timeout: 120_000 }, async () => {
    const f = await createFixture(pg, "webhook_trigger", { responseMode: "sync", syncTimeoutMs: 1_000 }, {
      nodes: [{ id: "later", kind: "delay", name: "Later", config: { mode: "duration", duration: { amount: 1, unit: "hours" } }, position: { x: 300, y: 0 } }, respond],
      edges: [
        { id: "e1", source: "trigger", sourcePort: "out", target: "later" },
        { id: "e2", source: "later", sourcePort: "out", target: "reply" },
      ],
    });
    const res = await fetch(`${server.url}/api/hooks/${f.token}`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"Ada"}' });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-from")).toBeNull();
    const body = (await res.json()) as { runId: string; statusUrl: string };
    expect(body.statusUrl).toMatch(new RegExp(`/api/v1/runs/${body.runId}$`));
  });
});
