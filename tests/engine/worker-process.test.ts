// Runs execute in a worker process at a lower CPU priority (inngest/host). Checked
// with real processes: the worker runs the runs of accepted webhooks, is restarted when it dies,
// and does not outlive its parent, even one killed with SIGKILL.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineProcessMode, engineWorkerCount } from "@/inngest/host/host-options";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { createFixture, type Fixture } from "../webhooks/hook-fixtures";
import { REPO, childProcesses } from "../webhooks/support/processes";

describe("engineProcessMode (SWITCHYARD_ENGINE_PROCESS)", () => {
  it("runs SWITCHYARD_ENGINE_WORKERS workers, by default one per core beyond the first, one to four", () => {
    expect(engineWorkerCount({ SWITCHYARD_ENGINE_WORKERS: " 3 " })).toBe(3);
    expect(engineWorkerCount({})).toBe(Math.min(4, Math.max(1, os.availableParallelism() - 1)));
  });

  it("defaults to a worker process; inline on request", () => {
    expect(engineProcessMode({})).toBe("worker");
    expect(engineProcessMode({ SWITCHYARD_ENGINE_PROCESS: " Inline " })).toBe("inline");
    expect(engineProcessMode({ SWITCHYARD_ENGINE_PROCESS: "worker" })).toBe("worker");
  });

  it("refuses unknown values, naming the variable", () => {
    expect(() => engineProcessMode({ SWITCHYARD_ENGINE_PROCESS: "thread" })).toThrow(/SWITCHYARD_ENGINE_PROCESS must be "worker" or "inline"/);
    expect(() => engineWorkerCount({ SWITCHYARD_ENGINE_WORKERS: "two" })).toThrow(/SWITCHYARD_ENGINE_WORKERS must be a whole number from 1 to 16/);
    expect(() => engineWorkerCount({ SWITCHYARD_ENGINE_WORKERS: "0" })).toThrow(/SWITCHYARD_ENGINE_WORKERS/);
  });
});

const SECRET_KEY = "d".repeat(64);

function niceness(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}

describe("engine worker process [postgres]", () => {
  let pg: TestDatabase;
  let fixture: Fixture;
  let dataDir: string;
  let parent: ChildProcess;
  let url: string;
  let log = "";

  beforeAll(async () => {
    process.env.SWITCHYARD_SECRET_KEY = SECRET_KEY;
    pg = await createTestDatabase();
    fixture = await createFixture(pg);
    dataDir = await mkdtemp(path.join(os.tmpdir(), "switchyard-worker-"));
    parent = spawn(process.execPath, ["--import", "tsx", "tests/webhooks/support/serve-hooks.ts"], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: (pg.config as { url: string }).url, DATA_DIR: dataDir, SWITCHYARD_SECRET_KEY: SECRET_KEY, SWITCHYARD_ENGINE_PROCESS: "", SWITCHYARD_ENGINE_WORKERS: "2", SERVE_RUNS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    parent.stdout!.on("data", (chunk) => (log += chunk));
    parent.stderr!.on("data", (chunk) => (log += chunk));
    const port = await until(() => /listening (\d+)/.exec(log)?.[1], "the parent to listen", 60_000);
    url = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill("SIGKILL");
    await pg?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  const workers = () => childProcesses(parent.pid!).filter((c) => c.args.includes("inngest/host/worker-main.ts"));
  const bothWorkers = () => (workers().length === 2 ? workers() : null);

  /** Posts a webhook and waits for its run to succeed. */
  async function runOneWebhook(n: number) {
    const res = await fetch(`${url}/api/hooks/${fixture.token}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n }) });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const status = await until(async () => {
      const [run] = await pg.query<{ status: string }>(`SELECT status::text FROM "Run" WHERE id = $1`, [runId]);
      return run?.status === "succeeded" || run?.status === "failed" ? run.status : null;
    }, `run ${runId} to end\n${log}`, 60_000);
    expect(status).toBe("succeeded");
  }

  it("runs the runs of accepted webhooks in SWITCHYARD_ENGINE_WORKERS child processes at nice 10", { timeout: 120_000 }, async () => {
    const [first, second] = await until(bothWorkers, "two worker processes", 60_000);
    expect(niceness(first.pid)).toBe(10);
    expect(niceness(second.pid)).toBe(10);
    expect(niceness(parent.pid!)).toBe(0);
    for (let n = 1; n <= 6; n++) await runOneWebhook(n);
    // The worker's connections say whose they are (PGAPPNAME), so an operator can tell them apart.
    const [{ n }] = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'switchyard-engine'`,
    );
    expect(n).toBeGreaterThan(0);
    // Its commits do not wait for the WAL sync (see worker-process.ts); the parent's do.
    const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    expect(environ(first.pid)).toContain("PGOPTIONS=-c synchronous_commit=off");
    expect(environ(parent.pid!).some((v) => v.startsWith("PGOPTIONS="))).toBe(false);
    // Executed by the worker's engine: the parent runs none (its engine API is not there).
    const engineApi = await fetch(`${url}/api/engine/e/any-key`, { method: "POST", body: "{}" });
    expect(engineApi.status).toBe(404);
  });

  it("starts a new worker when a worker dies, and runs go on", { timeout: 120_000 }, async () => {
    const [killed, survivor] = (await until(bothWorkers, "two worker processes", 60_000)).map((w) => w.pid);
    process.kill(killed, "SIGKILL");
    await runOneWebhook(7); // the survivor takes the work meanwhile
    const replaced = () => {
      const current = bothWorkers();
      return current?.some((w) => w.pid !== survivor && w.pid !== killed) ? current : null;
    };
    const now = await until(replaced, "a new worker process", 60_000);
    expect(now.map((w) => w.pid)).toContain(survivor);
    expect(now.map((w) => w.pid)).not.toContain(killed);
    await runOneWebhook(8);
  });

  it("does not outlive a parent killed with SIGKILL", { timeout: 60_000 }, async () => {
    const orphans = (await until(bothWorkers, "two worker processes", 60_000)).map((w) => w.pid);
    parent.kill("SIGKILL");
    const gone = (pid: number) => !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
    await until(() => orphans.every(gone), "the workers to exit", 10_000);
  });
});
