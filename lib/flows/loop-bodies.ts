// Loops (for_each) in a flow graph: which nodes form each loop's item branch, the graph the run
// walks around them, and what publish refuses. Client-safe and kind-agnostic: a loop is a node
// whose definition has `loop` (lib/nodes/node-definition.ts).
import { getNodeDefinition } from "@/lib/nodes/definitions";
import type { FlowGraph, GraphEdge } from "./graph";
import type { FlowIssue } from "./flow-responses";

type NodeLike = { id: string; kind: string };
type EdgeLike = Pick<GraphEdge, "source" | "sourcePort" | "target">;

export interface LoopBody {
  loopId: string;
  itemPort: string;
  /** Every node after the item port (the loop node itself excluded). */
  nodeIds: Set<string>;
}

/** Each loop node's item branch: the nodes reachable from edges leaving it through its item port. */
export function findLoopBodies(graph: { nodes: NodeLike[]; edges: EdgeLike[] }): Map<string, LoopBody> {
  const outgoing = new Map<string, EdgeLike[]>();
  for (const edge of graph.edges) outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);
  const bodies = new Map<string, LoopBody>();
  for (const node of graph.nodes) {
    const loop = getNodeDefinition(node.kind)?.loop;
    if (!loop) continue;
    const nodeIds = new Set<string>();
    const queue = (outgoing.get(node.id) ?? []).filter((edge) => edge.sourcePort === loop.itemPort).map((edge) => edge.target);
    while (queue.length) {
      const id = queue.shift()!;
      if (nodeIds.has(id) || id === node.id) continue;
      nodeIds.add(id);
      queue.push(...(outgoing.get(id) ?? []).map((edge) => edge.target));
    }
    bodies.set(node.id, { loopId: node.id, itemPort: loop.itemPort, nodeIds });
  }
  return bodies;
}

/** For each node inside a loop's item branch, that loop's id. */
export function enclosingLoops(graph: { nodes: NodeLike[]; edges: EdgeLike[] }): Map<string, string> {
  const enclosing = new Map<string, string>();
  for (const body of findLoopBodies(graph).values()) for (const id of body.nodeIds) enclosing.set(id, body.loopId);
  return enclosing;
}

export interface SplitGraph {
  /** The graph without any loop's item branch: what the run walks once. */
  outer: FlowGraph;
  /** Per loop node: itself, its item branch and the edges among them, walked once per item from the loop node. */
  bodies: Map<string, FlowGraph>;
}

/** Splits a (validated) graph into the part that runs once and each loop's item branch. */
export function splitLoops(graph: FlowGraph): SplitGraph {
  const found = findLoopBodies(graph);
  const inBody = new Set([...found.values()].flatMap((body) => [...body.nodeIds]));
  const bodies = new Map<string, FlowGraph>();
  for (const body of found.values()) {
    const members = new Set([body.loopId, ...body.nodeIds]);
    bodies.set(body.loopId, {
      nodes: graph.nodes.filter((node) => members.has(node.id)),
      edges: graph.edges.filter((edge) => members.has(edge.source) && body.nodeIds.has(edge.target) && (edge.source !== body.loopId || edge.sourcePort === body.itemPort)),
    });
  }
  return {
    outer: { nodes: graph.nodes.filter((node) => !inBody.has(node.id)), edges: graph.edges.filter((edge) => !inBody.has(edge.source) && !inBody.has(edge.target)) },
    bodies,
  };
}

/** What publish refuses about loops: an item branch that leads nowhere, is entered from outside, or holds another loop. */
export function loopIssues(graph: FlowGraph): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const bodies = findLoopBodies(graph);
  for (const body of bodies.values()) {
    const label = getNodeDefinition(graph.nodes.find((node) => node.id === body.loopId)?.kind ?? "")?.portLabels?.[body.itemPort] ?? body.itemPort;
    if (body.nodeIds.size === 0) {
      issues.push({ nodeId: body.loopId, message: `Node "${body.loopId}": connect its "${label}" output to the steps to run for each item` });
      continue;
    }
    for (const edge of graph.edges) {
      if (!body.nodeIds.has(edge.target) || body.nodeIds.has(edge.source) || (edge.source === body.loopId && edge.sourcePort === body.itemPort)) continue;
      issues.push({
        nodeId: edge.target,
        message: `Node "${edge.target}" runs once per item of "${body.loopId}" but is also reached from "${edge.source}" outside that loop: connect it only inside the loop, or after "Done"`,
      });
    }
    for (const id of body.nodeIds) {
      if (bodies.has(id)) issues.push({ nodeId: id, message: `Node "${id}" is a loop inside the item branch of "${body.loopId}": loops inside loops are not supported; call another flow per item instead` });
    }
  }
  return issues;
}
