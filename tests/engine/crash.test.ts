// Kill the app process (SIGKILL) in the middle of runs, start it again: every run finishes, and
// no step whose result had been stored runs again.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { createTestDatabase } from "../helpers/databases";
import { until } from "../helpers/until";

const RUNS = 20;

function startChild(mode: "send" | "resume", env: Record<string, string>): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/engine/crash-child.ts")], {
    env: { ...process.env, ...env, MODE: mode, CRASH_RUNS: String(RUNS) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  const output = new Promise<string>((resolve) => child.on("exit", () => resolve(text)));
  return { child, output };
}

function executions(logFile: string): string[] {
  return existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").filter(Boolean) : [];
}

describe("embedded engine after SIGKILL", () => {
  {
    it(`resumes every run without re-running stored steps [postgres]`, { timeout: 120_000 }, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-crash-"));
      const logFile = path.join(dir, "executions.log");
      const testDb = await createTestDatabase();
      await testDb.close();
      const dropDatabase = () => testDb.destroy();
      const open = () => openDatabase({ kind: "postgres", url: testDb.url, poolSize: 2 });
      const env = { CRASH_LOG: logFile, CRASH_DB: testDb.url };
      try {
        // 1. Start 20 five-step runs and kill the process once about a third of the steps ran.
        const first = startChild("send", env);
        await until(() => executions(logFile).length >= RUNS * 5 * 0.35 || first.child.exitCode !== null, "a third of the steps to run", 60_000, 5);
        first.child.kill("SIGKILL");
        const firstOutput = await first.output;
        expect(firstOutput, firstOutput).toContain("sent");

        // 2. What the database held at the moment of the kill.
        let db: Database = await open();
        const storedBeforeKill = await db.query<{ runId: string; stepId: string; name: string }>(
          `SELECT "runId", "stepId", name FROM "EngineStep"`,
        );
        const [{ leased }] = await db.query<{ leased: number }>(
          `SELECT count(*)::int AS leased FROM "EngineJob" WHERE "leaseOwner" IS NOT NULL`,
        );
        await db.close();
        const linesAtKill = executions(logFile);
        expect(linesAtKill.length).toBeLessThan(RUNS * 5); // it really died mid-way

        // 3. Restart; it must finish everything.
        const second = startChild("resume", env);
        const secondOutput = await second.output;
        expect(secondOutput, secondOutput).toContain("done");

        db = await open();
        const runs = await db.query<{ status: string; output: number; n: number }>(
          `SELECT status, output, (event->'data'->>'n')::int AS n FROM "EngineRun"`,
        );
        await db.close();
        expect(runs).toHaveLength(RUNS);
        for (const run of runs) expect(run).toEqual({ status: "completed", output: 15 * run.n, n: run.n });

        const lines = executions(logFile);
        const counts = new Map<string, number>();
        for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
        expect(counts.size).toBe(RUNS * 5); // every step of every run executed
        // A step stored before the kill never ran again.
        for (const step of storedBeforeKill) expect(counts.get(`${step.runId} ${step.name}`), `${step.runId} ${step.name}`).toBe(1);
        // Only calls in flight at the kill (their result was lost) may have run twice.
        const repeated = [...counts.values()].filter((n) => n > 1);
        expect(repeated.every((n) => n === 2)).toBe(true);
        expect(repeated.length).toBeLessThanOrEqual(leased);
      } finally {
        await dropDatabase();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
