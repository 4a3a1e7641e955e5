import { describe, expect, it } from "vitest";
import type { FlowGraph } from "./graph";
import { splitLoops } from "./loop-bodies";
import { validateFlow } from "./validate-flow";

const n = (id: string, kind: string, config: Record<string, unknown> = {}) => ({ id, kind, name: "", config, position: { x: 0, y: 0 } });
const e = (source: string, target: string, sourcePort = "out") => ({ id: `${source}-${sourcePort}-${target}`, source, sourcePort, target });
const send = (id: string, json: Record<string, unknown> = { a: 1 }) => n(id, "http_request", { method: "POST", url: "https://example.com/x", jsonBody: json });

function loopGraph(extra: Partial<FlowGraph> = {}): FlowGraph {
  return {
    nodes: [n("hook", "webhook_trigger"), n("loop", "for_each", { items: "{{ trigger.body.lines }}" }), send("each", { sku: "{{ item.sku }}", at: "{{ itemIndex }}" }), n("after", "transform", { fields: [{ path: "n", value: "{{ $count(steps.loop) }}" }] }), ...(extra.nodes ?? [])],
    edges: [e("hook", "loop"), e("loop", "each", "item"), e("loop", "after", "done"), ...(extra.edges ?? [])],
  };
}

const messages = (graph: FlowGraph) => validateFlow(graph, { forPublish: true }).map((issue) => issue.message);

describe("for_each in a flow graph", () => {
  it("publishes a loop whose item branch reads item and itemIndex", () => {
    expect(messages(loopGraph())).toEqual([]);
  });

  it("splits the item branch from the part that runs once", () => {
    const { outer, bodies } = splitLoops(loopGraph({ nodes: [send("next")], edges: [e("each", "next")] }));
    expect(outer.nodes.map((node) => node.id)).toEqual(["hook", "loop", "after"]);
    expect(outer.edges.map((edge) => edge.id)).toEqual(["hook-out-loop", "loop-done-after"]);
    expect(bodies.get("loop")?.nodes.map((node) => node.id)).toEqual(["loop", "each", "next"]);
    expect(bodies.get("loop")?.edges.map((edge) => edge.id)).toEqual(["loop-item-each", "each-out-next"]);
  });

  it("refuses item and itemIndex outside an item branch", () => {
    const graph = loopGraph();
    graph.nodes[3] = n("after", "transform", { fields: [{ path: "n", value: "{{ item.sku }}" }] });
    expect(messages(graph)).toEqual(['Node "after": fields[0].value: unknown reference "item" in {{ item.sku }}; expressions start with trigger, steps or run']);
  });

  it("refuses a loop whose item output leads nowhere", () => {
    const graph = loopGraph();
    graph.edges = graph.edges.filter((edge) => edge.sourcePort !== "item");
    graph.nodes = graph.nodes.filter((node) => node.id !== "each");
    expect(messages(graph)).toEqual(['Node "loop": connect its "Each item" output to the steps to run for each item']);
  });

  it("refuses a node of the item branch that is also reached from outside the loop", () => {
    const graph = loopGraph({ edges: [e("hook", "each")] });
    expect(messages(graph)).toEqual(['Node "each" runs once per item of "loop" but is also reached from "hook" outside that loop: connect it only inside the loop, or after "Done"']);
  });

  it("refuses a loop inside a loop", () => {
    const graph = loopGraph({ nodes: [n("inner", "for_each", { items: "{{ item.parts }}" }), send("part")], edges: [e("each", "inner"), e("inner", "part", "item")] });
    expect(messages(graph)).toContain('Node "inner" is a loop inside the item branch of "loop": loops inside loops are not supported; call another flow per item instead');
  });

  it("counts the item branch's steps once per item against the engine's step limit", () => {
    const graph = loopGraph();
    graph.nodes[1] = n("loop", "for_each", { items: "{{ trigger.body.lines }}", maxItems: 1000 });
    expect(messages(graph)).toEqual(["The flow is too large to run: it needs about 1006 durable steps per run and engines allow 950. Split it into smaller flows"]);
    graph.nodes[1] = n("loop", "for_each", { items: "{{ trigger.body.lines }}", maxItems: 900 });
    expect(messages(graph)).toEqual([]);
  });

  it("reports a syntax error in the items expression", () => {
    const graph = loopGraph();
    graph.nodes[1] = n("loop", "for_each", { items: "{{ trigger.body.lines[ }}" });
    expect(messages(graph)[0]).toMatch(/^Node "loop": items: invalid expression \{\{ trigger\.body\.lines\[ \}\}/);
  });
});
