// npm run bench:engine [-- --runs=1000 --latency-runs=200 --concurrency=64]
//
// The embedded engine end to end, in one process as in production: the SDK's inngest.send()
// over HTTP to the engine's event API, every step an HTTP call to the real SDK serve handler
// on loopback, state in PostgreSQL (a fresh database on TEST_DATABASE_URL or an embedded server, dropped after).
//   throughput: N runs of a 5-step function sent in batches of 100 → runs/s, steps/s, event→completion
//   latency:    3-step runs sent one at a time (next after the previous completed) → p50/p95/p99
// Prints numbers; never fails on timing.
import type { Database } from "@/lib/db/client";
import { createTestDatabase } from "@/tests/helpers/databases";
import { startHarness } from "@/tests/engine/harness";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const kinds = ["postgres"];
const RUNS = Number(args.get("runs") ?? 1000);
const LATENCY_RUNS = Number(args.get("latency-runs") ?? 200);

// Each database in its own process, so peak RSS and warm state of one do not carry into the other.
if (kinds.length > 1) {
  const { spawnSync } = await import("node:child_process");
  for (const kind of kinds) {
    const forwarded = process.argv.slice(2).filter((a) => !a.startsWith("--db="));
    spawnSync(process.execPath, ["--import", "tsx", process.argv[1], `--db=${kind}`, ...forwarded], { stdio: "inherit" });
  }
  process.exit(0);
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

for (const kind of kinds) {
  peakRss = process.memoryUsage().rss;
  const { db, dispose } = await openBenchDatabase();
  const completedAt = new Map<string, number>();
  const harness = await startHarness({
    db,
    appId: "bench",
    maxConcurrency: Number(args.get("concurrency") ?? 64),
    functions: (client) => [
      client.createFunction({ id: "five-steps", triggers: [{ event: "bench/five" }] }, async ({ step, event }) => {
        let value = (event.data as { n: number }).n;
        for (let i = 1; i <= 5; i++) value = await step.run(`step-${i}`, () => value + i);
        return value;
      }),
      client.createFunction({ id: "three-steps", triggers: [{ event: "bench/three" }] }, async ({ step, event }) => {
        let value = (event.data as { n: number }).n;
        for (let i = 1; i <= 3; i++) value = await step.run(`step-${i}`, () => value + i);
        return value;
      }),
    ],
  });
  const waitForAll = async (functionId: string, count: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [{ ended }] = await db.query<{ ended: number }>(
        `SELECT count(*)::int AS ended FROM "EngineRun" WHERE "functionId" = $1 AND status <> 'running'`,
        [functionId],
      );
      if (ended >= count || Date.now() > deadline) return ended;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  // Warm-up: JIT, connections, prepared plans.
  await harness.client.send(Array.from({ length: 50 }, (_, n) => ({ name: "bench/three", data: { n } })));
  await waitForAll("bench-three-steps", 50, 30_000);

  const rssAfterWarmUp = process.memoryUsage().rss;

  // Throughput: 5-step runs.
  const started = performance.now();
  const sentAt = new Map<number, number>();
  for (let offset = 0; offset < RUNS; offset += 100) {
    const batch = Array.from({ length: Math.min(100, RUNS - offset) }, (_, i) => offset + i);
    const now = Date.now();
    for (const n of batch) sentAt.set(n, now);
    await harness.client.send(batch.map((n) => ({ name: "bench/five", data: { n } })));
  }
  const ended = await waitForAll("bench-five-steps", RUNS, 300_000);
  const seconds = (performance.now() - started) / 1000;
  const throughputLatencies = await latencies(db, "bench-five-steps");
  const failed = await db.query(`SELECT 1 FROM "EngineRun" WHERE status <> 'completed'`);

  // Latency: 3-step runs, one at a time.
  const single: number[] = [];
  for (let n = 0; n < LATENCY_RUNS; n++) {
    const t0 = performance.now();
    const { ids } = await harness.client.send({ name: "bench/three", data: { n } });
    for (;;) {
      const [row] = await db.query<{ status: string }>(`SELECT status FROM "EngineRun" WHERE "eventId" = $1`, [ids[0]]);
      if (row && row.status !== "running") break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    single.push(performance.now() - t0);
  }
  completedAt.clear();

  console.log(`\n== embedded engine on ${kind} ==`);
  console.log(`5-step runs: ${ended}/${RUNS} ended (${failed.length} not completed) in ${seconds.toFixed(2)} s`);
  console.log(`  runs/s  ${(ended / seconds).toFixed(1)}`);
  console.log(`  steps/s ${((ended * 5) / seconds).toFixed(1)}`);
  console.log(`  event→completion under that load: ${summary(throughputLatencies)}`);
  console.log(`3-step runs sent one at a time (${LATENCY_RUNS}): event→completion ${summary(single)}`);
  console.log(`  peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB (after warm-up, before the throughput run: ${(rssAfterWarmUp / 1024 / 1024).toFixed(0)} MB)`);

  await harness.close();
  await dispose();
}
clearInterval(sampler);
process.exit(0);

/** Event time (ts set by the SDK at send) to run end, per run, in ms. */
async function latencies(db: Database, functionId: string): Promise<number[]> {
  const rows = await db.query<{ ms: string | number }>(
    `SELECT EXTRACT(EPOCH FROM "endedAt") * 1000 - (event->>'ts')::bigint AS ms FROM "EngineRun" WHERE "functionId" = $1`,
    [functionId],
  );
  return rows.map((r) => Number(r.ms));
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return `p50 ${at(50).toFixed(1)} ms, p95 ${at(95).toFixed(1)} ms, p99 ${at(99).toFixed(1)} ms`;
}

async function openBenchDatabase() {
  const db = await createTestDatabase();
  return { db: db as Database, dispose: () => db.destroy() };
}
