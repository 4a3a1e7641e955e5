// Retention ("Keep deliveries and runs for (days)"): the hourly pass server.ts schedules deletes
// finished runs with their steps once they are older than the workspace's setting, in batches that
// never wait for a run another transaction holds, and keeps every run that is not finished.
import pg from "pg";
import { expect, it } from "vitest";
import { purgeExpiredRuns } from "@/lib/runs/purge-runs";
import { applyRetention } from "@/lib/workspaces/apply-retention";
import { describeEachDatabase } from "../helpers/databases";
import { edge, node, seedPublishedFlow, seedWorkspace, triggerNode } from "../helpers/flows-and-receivers";

const DAY = 86_400_000;
const graph = { nodes: [triggerNode(), node("t", "transform", { fields: [{ path: "a", value: "1" }] })], edges: [edge("trigger", "t")] };

describeEachDatabase("run retention", (getDb) => {
  async function workspaceWithRuns(retentionDays: number) {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    await prisma.workspace.update({ where: { id: ws.id }, data: { retentionDays } });
    const { flow, version } = await seedPublishedFlow(prisma, ws.id, graph);
    const run = async (status: string, createdDaysAgo: number, finishedDaysAgo: number | null) => {
      const created = await prisma.run.create({
        data: {
          workspaceId: ws.id,
          flowId: flow.id,
          flowVersionId: version.id,
          status: status as "succeeded",
          triggerPayload: { body: { email: "ada@example.com" } },
          createdAt: new Date(Date.now() - createdDaysAgo * DAY),
          finishedAt: finishedDaysAgo === null ? null : new Date(Date.now() - finishedDaysAgo * DAY),
        },
      });
      await prisma.runStep.createMany({
        data: ["trigger", "t"].map((nodeId) => ({ runId: created.id, nodeId, nodeKind: nodeId === "t" ? "transform" : "webhook_trigger", status: "succeeded" as const, output: { email: "ada@example.com" } })),
      });
      return created.id;
    };
    return { ws, run };
  }

  const remaining = async (ids: string[]) => (await getDb().prisma.run.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((r) => r.id).sort();
  const stepsOf = (ids: string[]) => getDb().prisma.runStep.count({ where: { runId: { in: ids } } });

  it("deletes finished runs and their steps past the workspace's retention, and keeps unfinished, recent and other workspaces' runs", async () => {
    const week = await workspaceWithRuns(7);
    const expired = [await week.run("succeeded", 10, 10), await week.run("failed", 8, 8), await week.run("cancelled", 30, 29), await week.run("skipped", 9, 9)];
    const kept = [
      await week.run("running", 10, null),
      await week.run("waiting", 40, null),
      await week.run("queued", 10, null),
      await week.run("succeeded", 10, 1), // waited for an approval: finished yesterday
      await week.run("succeeded", 2, 2),
    ];
    const month = await workspaceWithRuns(30);
    const otherWorkspace = [await month.run("succeeded", 10, 10)];

    const result = await applyRetention(getDb());
    expect(result.runs).toBeGreaterThanOrEqual(expired.length);
    expect(await remaining([...expired, ...kept, ...otherWorkspace])).toEqual([...kept, ...otherWorkspace].sort());
    expect(await stepsOf(expired)).toBe(0);
    expect(await stepsOf(kept)).toBe(kept.length * 2);
  });

  it("works in batches and skips a run another transaction holds instead of waiting for it", async () => {
    const ws = await workspaceWithRuns(1);
    const expired = await Promise.all(Array.from({ length: 7 }, () => ws.run("succeeded", 5, 5)));
    const [held, ...others] = expired;
    // Another connection holds one of the runs (as dismissing or replaying it would).
    const other = new pg.Client({ connectionString: getDb().url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT id FROM "Run" WHERE id = $1 FOR UPDATE`, [held]);
      expect(await purgeExpiredRuns(getDb(), 2)).toBeGreaterThanOrEqual(others.length);
      expect(await remaining(expired)).toEqual([held]);
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    // The next pass takes it.
    await purgeExpiredRuns(getDb(), 2);
    expect(await remaining(expired)).toEqual([]);
  });
});
