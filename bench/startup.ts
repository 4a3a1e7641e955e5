// npm run bench:startup [-- --rounds=5 --entries=built,tsx]
//
// Start-up time and memory of the production server on the embedded default: the compiled server
// `npm start` runs (dist/server.js, `npm run build` first) and, to compare, server.ts run through tsx
// in production mode (how `npm start` ran it before the server was compiled). Each start uses the
// same DATA_DIR, set up by one start before the measured ones (so the first start's initdb is left
// out), and the entries alternate round by round so background load falls on both alike.
// Prints per entry the median over the rounds of: process start → first 200 from /api/health (it
// answers 200 once the engine has synced its functions) and RSS of the app and its engine worker 2 s
// later (the embedded PostgreSQL server not counted). Prints numbers only; nothing fails on timing.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { BUILT_SERVER, childProcesses, freePort, productionBuildExists, REPO } from "@/tests/webhooks/support/processes";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const ROUNDS = Number(args.get("rounds") ?? 5);
const ENTRIES: Record<string, string[]> = { built: [BUILT_SERVER], tsx: ["--import", "tsx", "server.ts"] };
const entries = (args.get("entries") ?? "built,tsx").split(",");

interface Sample {
  healthMs: number;
  rssMb: number;
}

if (!productionBuildExists()) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), "switchyard-startup-"));
await chmod(dataDir, 0o755); // as root the embedded server runs as `postgres`, which must be able to enter it
try {
  console.log(`start-up benchmark: ${ROUNDS} rounds, entries ${entries.join(", ")}; machine: ${os.cpus().length} cores, Node ${process.version}`);
  await startOnce(entries[0]); // initialises DATA_DIR (initdb, migrations): not measured
  const samples = new Map<string, Sample[]>(entries.map((entry) => [entry, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const entry of entries) {
      const sample = await startOnce(entry);
      samples.get(entry)!.push(sample);
      console.log(`round ${round + 1} ${entry.padEnd(5)} health 200 after ${sample.healthMs.toFixed(0)} ms, RSS ${sample.rssMb.toFixed(0)} MB`);
    }
  }
  console.log("\nmedians:");
  for (const [entry, list] of samples) {
    const median = (pick: (s: Sample) => number) => list.map(pick).sort((a, b) => a - b)[Math.floor(list.length / 2)];
    console.log(`${entry.padEnd(5)} health 200 after ${median((s) => s.healthMs).toFixed(0)} ms, RSS app + worker ${median((s) => s.rssMb).toFixed(0)} MB`);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

async function startOnce(entry: string): Promise<Sample> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  // Its own process group: SIGTERM reaches the app and its engine worker; the app stops its embedded database.
  const child = spawn(process.execPath, ENTRIES[entry], {
    cwd: REPO,
    detached: true,
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: url, DATA_DIR: dataDir, DATABASE_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => (log = (log + chunk).slice(-10_000)));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${log}`);
      const res = await fetch(`${url}/api/health`).catch(() => null);
      await res?.arrayBuffer();
      if (res?.status === 200) break;
      if (performance.now() - startedAt > 180_000) throw new Error(`${entry} did not become healthy within 180 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const healthMs = performance.now() - startedAt;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const nodeProcesses = [child.pid!, ...childProcesses(child.pid!).filter((c) => !c.args.includes("/bin/postgres")).map((c) => c.pid)];
    const rssMb = nodeProcesses.reduce((sum, pid) => sum + rssOf(pid), 0) / 1024 / 1024;
    return { healthMs, rssMb };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    }
  }
}

/** Resident memory of one process (VmRSS), in bytes; 0 once it has exited. */
function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}
