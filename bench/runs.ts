// npm run bench:runs – seeds 100,000 runs × 5 steps into PostgreSQL and prints p50/p95
// latency of the run log queries: first page, filtered page, deep cursor page, run detail.
// Prints numbers only; nothing here passes or fails on timing.
import type { Database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { encodeCursor, getRun, listRuns, listRunsQuery } from "@/lib/runs/query-runs";
import { createTestDatabase } from "../tests/helpers/databases";
import { seedRuns, seedWorkspace } from "../tests/helpers/seed-runs";

const RUNS = Number(process.env.BENCH_RUNS || 100_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 60);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function time(fn: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

async function benchmark(label: string, db: Database) {
  const seedStart = performance.now();
  await applyMigrations(db);
  const ws = await seedWorkspace(db, "bench");
  await seedRuns(db, ws, "bench", RUNS, { stepsPerRun: 5 });
  await db.query(`ANALYZE`);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const prisma = db.prisma;
  const deepRow = (await db.query<{ id: string; createdAt: Date }>(
    `SELECT id, "createdAt" FROM "Run" WHERE "workspaceId" = $1 ORDER BY "createdAt" DESC, id DESC OFFSET $2 LIMIT 1`,
    [ws.workspaceId, Math.floor(RUNS * 0.9)],
  ))[0];
  const deepCursor = encodeCursor({ id: deepRow.id, createdAt: new Date(deepRow.createdAt) });
  const q = (o: Record<string, string>) => listRunsQuery.parse(o);
  let detailIndex = 0;

  const results = {
    "list: first page (50)": await time(() => listRuns(prisma, ws.workspaceId, q({}))),
    "list: filtered (flow + failed)": await time(() => listRuns(prisma, ws.workspaceId, q({ flowId: ws.flowIds[0], status: "failed" }))),
    "list: deep cursor (90% in)": await time(() => listRuns(prisma, ws.workspaceId, q({ cursor: deepCursor }))),
    "detail: run + 5 steps": await time(() =>
      getRun(prisma, ws.workspaceId, `bench_run_${String(1 + ((detailIndex += 7919) % RUNS)).padStart(7, "0")}`),
    ),
  };
  console.log(`\n${label}: ${RUNS.toLocaleString()} runs × 5 steps seeded in ${seedSeconds.toFixed(1)} s; ${ITERATIONS} samples each`);
  console.log("query".padEnd(34), "p50 ms".padStart(8), "p95 ms".padStart(8));
  for (const [name, r] of Object.entries(results)) console.log(name.padEnd(34), r.p50.toFixed(2).padStart(8), r.p95.toFixed(2).padStart(8));
}

const postgres = await createTestDatabase();
try {
  await benchmark(`PostgreSQL (${process.env.TEST_DATABASE_URL ? "TEST_DATABASE_URL" : "embedded server"})`, postgres);
} finally {
  await postgres.destroy();
}
process.exit(0);
