// Walks a flow graph from its starting trigger. Engine-agnostic: `execute` decides how a node
// runs (a durable Inngest step in run-workflow, a plain call in tests).
//
// Rules: a node runs once, when every edge into it is decided and at least one is active; an
// edge is active when its source succeeded and activated that port. Nodes reached only through
// inactive edges are skipped. Independent branches run concurrently. A failed node stops only
// its descendants ("upstream failed"); other branches finish, and the run counts as failed.
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { ancestorsOf, indexGraph } from "./analyze-graph";
import type { FlowGraph, GraphNode } from "./graph";

export interface NodeExecution {
  output: unknown;
  /** Active output ports. */
  ports: string[];
}

export type SkipReason = "inactive_branch" | "upstream_failed" | "other_trigger";

export type NodeOutcome =
  | { status: "succeeded"; output: unknown; ports: string[] }
  | { status: "failed"; error: unknown }
  | { status: "skipped"; reason: SkipReason };

export interface InterpretOptions {
  /** The trigger node this run started from. */
  startNodeId: string;
  /** Runs one node; `steps` holds the outputs of its succeeded ancestors. Throwing marks the node failed. */
  execute(node: GraphNode, steps: Record<string, unknown>): Promise<NodeExecution>;
}

export interface InterpretResult {
  outcomes: Map<string, NodeOutcome>;
  /** Node ids in the order they finished (succeeded or failed). */
  finishedOrder: string[];
  failed: boolean;
}

export async function interpretFlow(graph: FlowGraph, options: InterpretOptions): Promise<InterpretResult> {
  const index = indexGraph(graph);
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  if (!nodes.has(options.startNodeId)) throw new Error(`Start node "${options.startNodeId}" is not in the flow`);
  const outcomes = new Map<string, NodeOutcome>();
  const finishedOrder: string[] = [];
  const settled = new Map<string, Promise<NodeOutcome>>();

  const settle = (id: string): Promise<NodeOutcome> => {
    let promise = settled.get(id);
    if (!promise) {
      promise = decide(nodes.get(id)!).then((outcome) => {
        outcomes.set(id, outcome);
        return outcome;
      });
      settled.set(id, promise);
    }
    return promise;
  };

  async function decide(node: GraphNode): Promise<NodeOutcome> {
    if (getNodeDefinition(node.kind)?.isTrigger && node.id !== options.startNodeId) return { status: "skipped", reason: "other_trigger" };
    const incoming = index.incoming.get(node.id) ?? [];
    let anyActive = node.id === options.startNodeId;
    let anyFailed = false;
    const sourceOutcomes = await Promise.all(incoming.map((edge) => settle(edge.source)));
    incoming.forEach((edge, i) => {
      const source = sourceOutcomes[i];
      if (source.status === "succeeded" && source.ports.includes(edge.sourcePort)) anyActive = true;
      if (source.status === "failed" || (source.status === "skipped" && source.reason === "upstream_failed")) anyFailed = true;
    });
    if (!anyActive) return { status: "skipped", reason: anyFailed ? "upstream_failed" : "inactive_branch" };
    // A join waits for every active path; one failed path means its data is missing.
    if (anyFailed) return { status: "skipped", reason: "upstream_failed" };
    const steps: Record<string, unknown> = {};
    for (const ancestor of ancestorsOf(node.id, index)) {
      const outcome = outcomes.get(ancestor);
      if (outcome?.status === "succeeded") steps[ancestor] = outcome.output;
    }
    try {
      const execution = await options.execute(node, steps);
      finishedOrder.push(node.id);
      return { status: "succeeded", output: execution.output, ports: execution.ports };
    } catch (error) {
      finishedOrder.push(node.id);
      return { status: "failed", error };
    }
  }

  await Promise.all(graph.nodes.map((node) => settle(node.id)));
  const failed = [...outcomes.values()].some((outcome) => outcome.status === "failed");
  return { outcomes, finishedOrder, failed };
}

/** The trigger a run starts from when the request does not name one: the first trigger in the graph. */
export function defaultStartNode(graph: FlowGraph): GraphNode | undefined {
  return graph.nodes.find((node) => getNodeDefinition(node.kind)?.isTrigger);
}
