// Kill the process running a for_each loop (SIGKILL) in the middle of its items, start it again:
// the run finishes with every item's result in order, and no item whose step had been stored is
// sent again. Real PostgreSQL, the embedded engine in a child process, a loopback HTTP target.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import type { RunRequestedData } from "@/lib/runs/run-events";
import { startRun } from "@/lib/runs/start-run";
import { createTestDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { edge, node, seedPublishedFlow, seedWorkspace, startTestServer, triggerNode } from "../helpers/flows-and-receivers";

const ITEMS = 8;

function startChild(mode: "send" | "resume", env: Record<string, string>): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/runs/for-each-crash-child.ts")], {
    env: { ...process.env, ...env, MODE: mode },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk) => (text += chunk));
  child.stderr!.on("data", (chunk) => (text += chunk));
  return { child, output: new Promise<string>((resolve) => child.on("exit", () => resolve(text))) };
}

it("resumes a loop after SIGKILL without sending a stored item again [postgres]", { timeout: 120_000 }, async () => {
  const db = await createTestDatabase();
  const target = await startTestServer();
  const sent: string[] = [];
  target.respond((request) => {
    sent.push(JSON.parse(request.body).sku as string);
    return { status: 200, body: { sku: JSON.parse(request.body).sku } };
  });
  try {
    const workspace = await seedWorkspace(db.prisma);
    const graph = {
      nodes: [
        triggerNode(),
        node("loop", "for_each", { items: "{{ trigger.body.lines }}", concurrency: 2 }),
        node("call", "http_request", { method: "POST", url: `${target.url}/slow`, jsonBody: { sku: "{{ item }}" } }),
      ],
      edges: [edge("trigger", "loop"), edge("loop", "call", "item")],
    };
    const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
    const lines = Array.from({ length: ITEMS }, (_, i) => `SKU-${i}`);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: { lines } });
    const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: runId } });
    const env = { CRASH_DB: db.url, RUN_DATA: JSON.stringify(outbox.data as unknown as RunRequestedData) };

    // 1. Run it and kill the process once about half the items were sent.
    const first = startChild("send", env);
    await until(() => sent.length >= ITEMS / 2 || first.child.exitCode !== null, "half the items to be sent", 60_000, 2);
    first.child.kill("SIGKILL");
    expect(await first.output).toContain("sent");
    const sentAtKill = sent.length;
    expect(sentAtKill).toBeLessThan(ITEMS); // it really died mid-way

    // 2. Which item steps the engine had stored at the kill.
    const stored = await db.query<{ name: string }>(`SELECT name FROM "EngineStep" WHERE name LIKE 'node:call:item:%'`);
    const storedItems = stored.map((step) => Number(step.name.split(":").pop()));
    expect(storedItems.length).toBeGreaterThan(0);

    // 3. Restart; the loop finishes.
    const second = startChild("resume", env);
    const secondOutput = await second.output;
    expect(secondOutput, secondOutput).toContain("done");
    const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("succeeded");
    const loop = await db.prisma.runStep.findFirstOrThrow({ where: { runId, nodeId: "loop" } });
    expect((loop.output as { body: { sku: string } }[]).map((output) => output.body.sku)).toEqual(lines);

    const counts = new Map<string, number>();
    for (const sku of sent) counts.set(sku, (counts.get(sku) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...lines].sort());
    // An item stored before the kill was never sent again; only items in flight at the kill may have been sent twice.
    for (const index of storedItems) expect(counts.get(`SKU-${index}`), `SKU-${index}`).toBe(1);
    expect([...counts.values()].every((count) => count <= 2)).toBe(true);
  } finally {
    await target.close();
    await db.destroy();
  }
});
