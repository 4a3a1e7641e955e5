// Graph facts shared by the validator and the interpreter: adjacency, cycles, reachability,
// ancestors. Client-safe and independent of node kinds.
import type { FlowGraph, GraphEdge } from "./graph";

export interface GraphIndex {
  nodeIds: Set<string>;
  incoming: Map<string, GraphEdge[]>;
  outgoing: Map<string, GraphEdge[]>;
}

/** Indexes edges whose both ends exist (dangling edges are the validator's business). */
export function indexGraph(graph: FlowGraph): GraphIndex {
  const nodeIds = new Set(graph.nodes.map((node) => node.id));
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  for (const id of nodeIds) {
    incoming.set(id, []);
    outgoing.set(id, []);
  }
  for (const edge of graph.edges) {
    if (!nodeIds.has(edge.source) || !nodeIds.has(edge.target)) continue;
    outgoing.get(edge.source)!.push(edge);
    incoming.get(edge.target)!.push(edge);
  }
  return { nodeIds, incoming, outgoing };
}

/** One cycle as a node path that returns to its start (["a","b","a"]), or null when the graph is acyclic. */
export function findCycle(graph: FlowGraph, index = indexGraph(graph)): string[] | null {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  for (const node of graph.nodes) {
    const cycle = visit(node.id);
    if (cycle) return cycle;
  }
  return null;

  // Iterative DFS would avoid deep recursion, but graphs are capped at 5,000 nodes.
  function visit(id: string): string[] | null {
    const current = state.get(id);
    if (current === "done") return null;
    if (current === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const edge of index.outgoing.get(id) ?? []) {
      const cycle = visit(edge.target);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, "done");
    return null;
  }
}

/** Nodes reachable from the given start nodes (starts included). */
export function reachableFrom(starts: Iterable<string>, index: GraphIndex): Set<string> {
  const seen = new Set<string>();
  const queue = [...starts].filter((id) => index.nodeIds.has(id));
  for (const id of queue) seen.add(id);
  while (queue.length) {
    const id = queue.shift()!;
    for (const edge of index.outgoing.get(id) ?? []) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return seen;
}

/** Every node with a path to `nodeId` (not including itself). */
export function ancestorsOf(nodeId: string, index: GraphIndex): Set<string> {
  const seen = new Set<string>();
  const queue = [nodeId];
  while (queue.length) {
    const id = queue.shift()!;
    for (const edge of index.incoming.get(id) ?? []) {
      if (!seen.has(edge.source)) {
        seen.add(edge.source);
        queue.push(edge.source);
      }
    }
  }
  seen.delete(nodeId);
  return seen;
}
