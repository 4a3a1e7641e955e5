// Expression paths to fields that are not there: `{{ steps.shape.output.amount }}` when shape's
// output has no `output` key. Publishing warns (without blocking) against the trigger's sample and
// the steps' last outputs; at run time the step's log names the path that was empty.
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { runWorkflow } from "@/inngest/functions/run-workflow";
import { setProcessDatabase } from "@/lib/db";
import { findReferences } from "@/lib/expressions/find-references";
import { findMissingField } from "@/lib/expressions/missing-path";
import { resolveTemplates } from "@/lib/expressions/resolve-templates";
import { checkExpressionPaths } from "@/lib/flows/check-expression-paths";
import type { FlowGraph } from "@/lib/flows/graph";
import { publishFlow } from "@/lib/flows/publish-flow";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase } from "../helpers/databases";
import { edge, node, seedPublishedFlow, seedWorkspace, triggerNode } from "../helpers/flows-and-receivers";

const shape = node("shape", "transform", { mode: "fields", fields: [{ path: "email", value: "{{ trigger.body.email }}" }, { path: "amount", value: "{{ trigger.body.amount }}" }] });
const bigOnly = (left: string, operator = "greater_than") => node("big", "filter", { combinator: "and", rules: [{ left, operator, right: "100" }] });

function flowWith(filter: ReturnType<typeof node>): FlowGraph {
  return {
    nodes: [triggerNode(), shape, filter, node("crm", "http_request", { method: "POST", url: "https://crm.example/leads", bodyType: "json", jsonBody: { email: "{{ steps.shape.email }}" } })],
    edges: [edge("trigger", "shape"), edge("shape", "big"), edge("big", "crm")],
  };
}

describe("finding the missing field of a path", () => {
  it("lists the plain names a path reads and whether a missing value is expected there", () => {
    expect(findReferences("steps.shape.output.amount")).toEqual([{ root: "steps", nodeId: "shape", path: ["steps", "shape", "output", "amount"], guarded: false }]);
    expect(findReferences("trigger.body.items[0].sku")[0].path).toEqual(["trigger", "body", "items"]);
    expect(findReferences("$exists(trigger.body.x)")[0].guarded).toBe(true);
    expect(findReferences("trigger.body.a ? trigger.body.b : 'none'").map((r) => [r.path.at(-1), r.guarded])).toEqual([
      ["a", true],
      ["b", false],
    ]);
    expect(findReferences("trigger.body.nick ?: trigger.body.name").map((r) => [r.path.at(-1), r.guarded])).toEqual([
      ["nick", true],
      ["nick", true],
      ["name", false],
    ]);
  });

  it("follows JSONata over lists and names the first segment that is not there", () => {
    const data = { trigger: { body: { items: [{ sku: "a" }, { qty: 2 }], email: null } } };
    expect(findMissingField(data, ["trigger", "body", "items", "qty"])).toBeNull();
    expect(findMissingField(data, ["trigger", "body", "items", "price"])).toEqual({ path: ["trigger", "body", "items", "price"], found: "it has: sku" });
    expect(findMissingField(data, ["trigger", "body", "email", "domain"])).toEqual({ path: ["trigger", "body", "email", "domain"], found: "it is null" });
  });

  it("records, when an expression comes out empty, which path was missing", async () => {
    const warnings: unknown[] = [];
    const context = { trigger: { body: {}, headers: {}, query: {}, method: "POST", receivedAt: "" }, steps: { shape: { email: "a@b.c", amount: 250 } }, run: { id: "r", flowId: "f", attempt: 1 } };
    const resolved = await resolveTemplates({ rules: [{ left: "{{ steps.shape.output.amount }}" }], note: "Lead {{ steps.shape.email }}" }, context, { warnings: warnings as never[] });
    expect(resolved).toEqual({ rules: [{ left: undefined }], note: "Lead a@b.c" });
    expect(warnings).toEqual([
      {
        field: "rules[0].left",
        expression: "steps.shape.output.amount",
        path: "steps.shape.output",
        message: '{{ steps.shape.output.amount }} was empty: steps.shape has no field "output" (it has: email, amount)',
      },
    ]);
  });
});

describe("publish-time warnings", () => {
  const samples = { trigger: { body: { email: "a@b.c", amount: 250 }, headers: {}, query: {}, method: "POST", receivedAt: "" }, steps: { shape: { email: "a@b.c", amount: 250 } } };

  it("warns about a step path its last output does not have, naming node, field and what was there", () => {
    expect(checkExpressionPaths(flowWith(bigOnly("{{ steps.shape.output.amount }}")), samples)).toEqual([
      {
        nodeId: "big",
        field: "rules[0].left",
        severity: "warning",
        message: 'Node "big": rules[0].left: {{ steps.shape.output.amount }} would be empty: steps.shape has no field "output" in the last run of "shape" (it has: email, amount)',
      },
    ]);
  });

  it("checks trigger paths against the sample and run paths against what a run has", () => {
    const graph = flowWith(bigOnly("{{ trigger.body.total }}"));
    graph.nodes.find((n) => n.id === "crm")!.config.jsonBody = { email: "{{ steps.shape.email }}", run: "{{ run.number }}" };
    expect(checkExpressionPaths(graph, samples).map((w) => w.message)).toEqual([
      'Node "big": rules[0].left: {{ trigger.body.total }} would be empty: trigger.body has no field "total" in the trigger\'s sample payload (it has: email, amount)',
      'Node "crm": jsonBody.run: {{ run.number }} would be empty: run has no field "number" in any run (it has: id, flowId, attempt)',
    ]);
  });

  it("stays quiet where the path is there, where a missing value is expected, and where there is nothing to check against", () => {
    expect(checkExpressionPaths(flowWith(bigOnly("{{ steps.shape.amount }}")), samples)).toEqual([]);
    expect(checkExpressionPaths(flowWith(bigOnly("{{ steps.shape.output.amount }}", "exists")), samples)).toEqual([]);
    expect(checkExpressionPaths(flowWith(bigOnly("{{ $exists(steps.shape.output) ? steps.shape.output.amount : 0 }}")), samples)).toEqual([]);
    expect(checkExpressionPaths(flowWith(bigOnly("{{ steps.shape.output.amount }}")), { steps: {} })).toEqual([]);
  });
});

describeEachDatabase("missing expression paths in runs and publishing", (getDb) => {
  beforeAll(() => setProcessDatabase(getDb()));
  afterAll(() => setProcessDatabase(undefined));

  it("a run that ends skipped because a path was empty names that path on the step that read it", async () => {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    const { flow } = await seedPublishedFlow(prisma, ws.id, flowWith(bigOnly("{{ steps.shape.output.amount }}")));
    const started = await startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "version" }, trigger: { body: { email: "ada@example.com", amount: 250 }, headers: {}, query: {}, method: "POST" } });
    const data = (await prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: started.runId } })).data as unknown as RunRequestedData;
    const { error } = await new InngestTestEngine({ function: runWorkflow, events: [{ name: RUN_REQUESTED, data }] }).execute();
    expect(error).toBeUndefined();

    const run = await prisma.run.findUniqueOrThrow({ where: { id: started.runId }, include: { steps: true } });
    expect(run.status).toBe("skipped");
    const big = run.steps.find((step) => step.nodeId === "big")!;
    expect(big.warnings).toEqual([
      {
        field: "rules[0].left",
        expression: "steps.shape.output.amount",
        path: "steps.shape.output",
        message: '{{ steps.shape.output.amount }} was empty: steps.shape has no field "output" (it has: email, amount)',
      },
    ]);
    expect(run.steps.find((step) => step.nodeId === "shape")!.warnings).toBeNull();

    // Publishing the same flow again now warns, from that run's output of "shape"; it still publishes.
    const published = await publishFlow(prisma, ws.id, flow.id, "user_1");
    expect(published.version.version).toBe(2);
    expect(published.warnings).toEqual([expect.objectContaining({ nodeId: "big", field: "rules[0].left", severity: "warning" })]);
    expect(published.warnings[0].message).toContain('steps.shape has no field "output" in the last run of "shape" (it has: email, amount)');
  });
});
