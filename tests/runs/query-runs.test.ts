import { beforeAll, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { getRun, listRuns, listRunsQuery } from "@/lib/runs/query-runs";
import { runMetrics } from "@/lib/runs/run-metrics";
import { describeEachDatabase } from "../helpers/databases";
import { seedRuns, seedWorkspace, type SeededWorkspace } from "../helpers/seed-runs";

const query = (q: Record<string, string> = {}) => listRunsQuery.parse(q);

describeEachDatabase("run history queries", (getDb) => {
  let ws: SeededWorkspace;
  let other: SeededWorkspace;

  beforeAll(async () => {
    ws = await seedWorkspace(getDb(), "a");
    other = await seedWorkspace(getDb(), "b");
    await seedRuns(getDb(), ws, "a", 250, { stepsPerRun: 5 });
    await seedRuns(getDb(), other, "b", 20, { stepsPerRun: 0 });
  });

  it("pages through every run of the workspace, newest first, with no gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listRuns(getDb().prisma, ws.workspaceId, query({ limit: "60", ...(cursor ? { cursor } : {}) }));
      seen.push(...page.runs.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen[0]).toBe("a_run_0000001");
    expect(seen.every((id) => id.startsWith("a_"))).toBe(true);
  });

  it("filters by status, flow and time range, and finds runs by id, delivery or payload text", async () => {
    const failed = await listRuns(getDb().prisma, ws.workspaceId, query({ status: "failed", limit: "200" }));
    expect(failed.runs.length).toBeGreaterThan(0);
    expect(failed.runs.every((r) => r.status === "failed" && r.errorMessage === "HTTP 503 from target")).toBe(true);

    const flow2 = await listRuns(getDb().prisma, ws.workspaceId, query({ flowId: ws.flowIds[1], limit: "200" }));
    expect(flow2.runs).toHaveLength(25);
    expect(flow2.runs.every((r) => r.flowName === "a flow 2")).toBe(true);

    // Runs are 5 s apart, the newest 5 s before seeding: from 47.5 s before the newest takes ten of them
    // (measured from the stored time, not the clock, so a slow machine cannot shift the window).
    const newest = await getDb().prisma.run.findUniqueOrThrow({ where: { id: "a_run_0000001" } });
    const recent = await listRuns(getDb().prisma, ws.workspaceId, query({ from: new Date(newest.createdAt.getTime() - 47_500).toISOString(), limit: "200" }));
    expect(recent.runs.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `a_run_${String(i + 1).padStart(7, "0")}`));

    expect((await listRuns(getDb().prisma, ws.workspaceId, query({ q: "a_run_0000042" }))).runs.map((r) => r.id)).toEqual(["a_run_0000042"]);
    const byEmail = await listRuns(getDb().prisma, ws.workspaceId, query({ q: "customer117@example" }));
    expect(byEmail.runs.map((r) => r.id)).toEqual(["a_run_0000117"]);
    // Each listed run says in one line what its request carried.
    expect(byEmail.runs[0].payloadSummary).toBe("email: customer117@example.com · amount: 117");
    // Another workspace's runs are never found, even by exact id.
    expect((await listRuns(getDb().prisma, ws.workspaceId, query({ q: "b_run_0000003" }))).runs).toEqual([]);
  });

  it("rejects a cursor it did not issue", async () => {
    await expect(listRuns(getDb().prisma, ws.workspaceId, query({ cursor: "garbage" }))).rejects.toThrow(AppError);
  });

  it("returns one run with its steps in order, and nothing across workspaces", async () => {
    const run = await getRun(getDb().prisma, ws.workspaceId, "a_run_0000003");
    expect(run.status).toBe("failed");
    expect(run.steps.map((s) => s.nodeId)).toEqual(["trigger", "a", "b", "c", "d"]);
    expect(run.steps.at(-1)?.status).toBe("failed");
    expect((run.graph as { nodes: unknown[] }).nodes).toHaveLength(5);
    await expect(getRun(getDb().prisma, other.workspaceId, "a_run_0000003")).rejects.toThrow(/Run not found/);
  });

  it("computes run metrics with SQL aggregates", async () => {
    const metrics = await runMetrics(getDb().prisma, ws.workspaceId, { window: "24h" });
    // 250 runs, statuses cycle through 7 values starting at index (g % 7).
    const expected = { succeeded: 0, failed: 0 };
    for (let g = 1; g <= 250; g++) {
      const s = ["succeeded", "succeeded", "succeeded", "failed", "running", "waiting", "cancelled"][g % 7];
      if (s === "succeeded") expected.succeeded++;
      if (s === "failed") expected.failed++;
    }
    expect(metrics.runs.total).toBe(250);
    expect(metrics.runs.succeeded).toBe(expected.succeeded);
    expect(metrics.runs.failed).toBe(expected.failed);
    expect(metrics.runs.successRate).toBeCloseTo(expected.succeeded / (expected.succeeded + expected.failed));
    expect(metrics.durationMs.p50).toBeGreaterThan(0);
    expect(metrics.durationMs.p95).toBeGreaterThanOrEqual(metrics.durationMs.p50 ?? 0);
    expect(metrics.failuresByNode).toEqual([{ nodeId: "c", failures: expected.failed }]);
    expect(metrics.series.reduce((n, b) => n + b.succeeded + b.failed + b.other, 0)).toBe(250);

    const flowOnly = await runMetrics(getDb().prisma, ws.workspaceId, { window: "24h", flowId: ws.flowIds[1] });
    expect(flowOnly.runs.total).toBe(25);
  });
});

describeEachDatabase("dead letters", (getDb) => {
  it("dismisses failed runs of the caller's workspace only, and lists what is left", async () => {
    const ws = await seedWorkspace(getDb(), "d");
    const other = await seedWorkspace(getDb(), "e");
    await seedRuns(getDb(), ws, "d", 30, { stepsPerRun: 0 });
    await seedRuns(getDb(), other, "e", 30, { stepsPerRun: 0 });
    const dead = (q: Record<string, string> = {}) => listRuns(getDb().prisma, ws.workspaceId, listRunsQuery.parse({ status: "failed", dismissed: "false", ...q }));
    const before = await dead();
    expect(before.runs.length).toBe(4); // g % 7 === 3 for g in 1..30: 3, 10, 17, 24
    const { dismissRuns } = await import("@/lib/runs/query-runs");
    // A succeeded run and another workspace's failed run are left alone.
    expect(await dismissRuns(getDb().prisma, ws.workspaceId, [before.runs[0].id, "d_run_0000001", "e_run_0000003"])).toBe(1);
    expect((await dead()).runs.map((r) => r.id)).toEqual(before.runs.slice(1).map((r) => r.id));
    expect((await getDb().prisma.run.findUniqueOrThrow({ where: { id: "e_run_0000003" } })).dismissedAt).toBeNull();
  });
});
