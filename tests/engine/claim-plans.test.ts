// The engine's claim queries must stay index probes with a large backlog even while the table's
// statistics still describe it as small, which is the state right after a burst of webhooks
// (autovacuum analyzes a minute later at best). Reading the backlog there cost 17 ms (the due-key
// check) and 2.7 ms (the running count) per claim on PostgreSQL with 20,000-31,000 queued jobs.
import { afterAll, beforeAll, expect, it } from "vitest";
import { CLAIMABLE_CONCURRENCY_KEYS } from "@/inngest/local/engine";
import { COUNT_RUNNING_JOBS, HAND_OFF_SLOT } from "@/inngest/local/run-store";
import { STORE_CHECKPOINTS } from "@/inngest/local/store-checkpoints";
import { describeEachDatabase } from "../helpers/databases";

const KEY = '10|app-fn|"flow_1"';

describeEachDatabase("engine claim plans with a burst-sized backlog", (getDb) => {
  beforeAll(async () => {
    const db = getDb();
    // Statistics taken while the table was nearly empty, and no autovacuum to refresh them.
    await db.query(`ALTER TABLE "EngineJob" SET (autovacuum_enabled = false)`);
    await db.query(`INSERT INTO "EngineJob" ("runId", kind, "stepId", "leaseOwner", "concurrencyKey") VALUES ('run_seed', 'call', 'step', 1, $1)`, [KEY]);
    await db.query(`ANALYZE "EngineJob"`);
    // The burst: 20,000 queued jobs of one flow, 10 of them running.
    await db.query(
      `INSERT INTO "EngineJob" ("runId", kind, "stepId", "leaseOwner", "concurrencyKey", "runAt")
       SELECT 'run_' || g, 'call', 'step', CASE WHEN g <= 10 THEN 1 END, $1, now() - interval '1 minute'
         FROM generate_series(1, 20000) g`,
      [KEY],
    );
  });
  afterAll(async () => {
    await getDb().query(`DELETE FROM "EngineJob"`);
  });

  async function plan(sql: string, params: unknown[]): Promise<string> {
    const rows = await getDb().query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  }

  it("finds the keys with due jobs by probing the unleased-jobs index, never reading all queued jobs", async () => {
    const text = await plan(CLAIMABLE_CONCURRENCY_KEYS, [new Date().toISOString()]);
    expect(text).toContain("EngineJob_unleased_concurrencyKey_runAt_idx");
    expect(text).not.toMatch(/Hash|Seq Scan|Bitmap Heap Scan/);
    const keys = await getDb().query<{ key: string }>(CLAIMABLE_CONCURRENCY_KEYS, [new Date().toISOString()]);
    expect(keys).toEqual([{ key: KEY }]);
  });

  /**
   * The plan a prepared statement keeps (PostgreSQL switches to a generic plan after five runs and
   * keeps it until the statistics change): the engine prepares its per-step statements.
   */
  let probes = 0;
  async function genericPlan(sql: string, params: unknown[]): Promise<string> {
    // PREPARE outlives a rolled-back transaction on its connection: a name of its own each time.
    const name = `plan_probe_${++probes}`;
    return getDb().transaction(async (q) => {
      await q(`SET LOCAL plan_cache_mode = force_generic_plan`);
      await q(`PREPARE ${name} AS ${sql}`);
      const literals = params.map((value) => `'${String(value).replace(/'/g, "''")}'`).join(", ");
      const rows = await q<{ "QUERY PLAN": string }>(`EXPLAIN EXECUTE ${name}(${literals})`);
      await q(`DEALLOCATE ${name}`);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
  }

  it("finds a checkpoint's jobs by primary key, also in the generic plan of the prepared statement", async () => {
    const rows = JSON.stringify([{ runId: "run_5", jobId: "5", stepId: "s1", name: null, data: 1 }]);
    const text = await genericPlan(STORE_CHECKPOINTS, [rows, "1", "{5}"]);
    // By primary key or by this worker's leases (a few dozen at most), never by reading the backlog or the runs.
    expect(text).toMatch(/EngineJob_pkey|EngineJob_leaseOwner_idx/);
    expect(text).not.toMatch(/Seq Scan on "EngineJob"|on "EngineRun"/);
  });

  it("hands a slot to the next due job through the unleased-jobs index, also in the generic plan", async () => {
    const text = await genericPlan(HAND_OFF_SLOT, ["1", KEY, new Date().toISOString()]);
    expect(text).toContain("EngineJob_unleased_concurrencyKey_runAt_idx");
    // The index gives the oldest due job first: no scan of the backlog, no sort of it.
    expect(text).not.toMatch(/Seq Scan on "EngineJob"|Sort Key: .*runAt/);
  });

  it("counts a key's running jobs through the leased-jobs index", async () => {
    const text = await plan(COUNT_RUNNING_JOBS, [KEY]);
    expect(text).toContain("EngineJob_leased_concurrencyKey_idx");
    expect(text).not.toContain("Seq Scan");
    const [{ running }] = await getDb().query<{ running: number }>(COUNT_RUNNING_JOBS, [KEY]);
    expect(running).toBe(11);
  });
});
