// The interpreter over JSON fixture flows (tests/fixtures/flows), executing real node runners.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/db/client";
import { parseFlowGraph, type GraphNode } from "@/lib/flows/graph";
import { defaultStartNode, interpretFlow } from "@/lib/flows/interpret-flow";
import { validateFlow } from "@/lib/flows/validate-flow";
import { executeNodeAttempt } from "@/lib/runs/execute-node";

const fixtureDir = path.join(import.meta.dirname, "../fixtures/flows");
const fixtures = readdirSync(fixtureDir)
  .filter((file) => file.endsWith(".json"))
  .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(fixtureDir, file), "utf8")) as { description: string; trigger: unknown; graph: unknown; expect: { statuses: Record<string, string>; outputs?: Record<string, unknown> } }) }));

// Fixture flows use no credentials, so the runners never touch the database.
const noDatabase = null as unknown as PrismaClient;

function executor(trigger: unknown) {
  return async (node: GraphNode, steps: Record<string, unknown>) => {
    const result = await executeNodeAttempt({
      prisma: noDatabase,
      run: { id: "run_fx", flowId: "flow_fx", workspaceId: "ws_fx", isTest: true, allowedHosts: [], trigger: { body: trigger, headers: {}, query: {}, method: "POST", receivedAt: "2026-11-26T10:00:00Z" } },
      node,
      steps,
      attempt: 1,
    });
    if (result.type !== "done") throw new Error("fixtures do not pause");
    return { output: result.output, ports: result.ports };
  };
}

describe("interpreter fixtures", () => {
  it("has fixtures", () => expect(fixtures.length).toBeGreaterThanOrEqual(5));

  for (const fixture of fixtures) {
    it(`${fixture.file}: ${fixture.description}`, async () => {
      expect(validateFlow(fixture.graph, { forPublish: true })).toEqual([]);
      const graph = parseFlowGraph(fixture.graph);
      const result = await interpretFlow(graph, { startNodeId: defaultStartNode(graph)!.id, execute: executor(fixture.trigger) });
      const statuses = Object.fromEntries([...result.outcomes].map(([id, outcome]) => [id, outcome.status]));
      expect(statuses).toEqual(fixture.expect.statuses);
      for (const [id, output] of Object.entries(fixture.expect.outputs ?? {})) {
        const outcome = result.outcomes.get(id);
        expect(outcome?.status === "succeeded" ? outcome.output : outcome).toEqual(output);
      }
      expect(result.failed).toBe(Object.values(fixture.expect.statuses).includes("failed"));
    });
  }
});

describe("interpreter scheduling", () => {
  const graph = parseFlowGraph(fixtures.find((fixture) => fixture.file === "parallel-join.json")!.graph);

  it("runs independent branches concurrently and the join once, after all of them", async () => {
    const started: string[] = [];
    const calls = new Map<string, number>();
    let releaseBranches!: () => void;
    const allBranchesStarted = new Promise<void>((resolve) => (releaseBranches = resolve));
    const branches = ["invoice", "crm", "fx"];
    const result = await interpretFlow(graph, {
      startNodeId: "pay",
      async execute(node, steps) {
        calls.set(node.id, (calls.get(node.id) ?? 0) + 1);
        started.push(node.id);
        if (branches.includes(node.id)) {
          // Each branch waits until all three have started: sequential execution would never get here.
          if (branches.every((id) => started.includes(id))) releaseBranches();
          await allBranchesStarted;
        }
        if (node.id === "summary") expect(Object.keys(steps).sort()).toEqual(["crm", "fx", "invoice", "pay"]);
        return { output: { id: node.id }, ports: ["out"] };
      },
    });
    expect(result.failed).toBe(false);
    expect(calls.get("summary")).toBe(1);
    expect(started.at(-1)).toBe("summary");
  });

  it("gives a node only its ancestors' outputs", async () => {
    const seen: Record<string, string[]> = {};
    await interpretFlow(graph, {
      startNodeId: "pay",
      async execute(node, steps) {
        seen[node.id] = Object.keys(steps).sort();
        return { output: {}, ports: ["out"] };
      },
    });
    expect(seen.crm).toEqual(["pay"]);
    expect(seen.summary).toEqual(["crm", "fx", "invoice", "pay"]);
  });
});
