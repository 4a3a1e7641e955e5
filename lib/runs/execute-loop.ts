// Server-only: runs a loop node (for_each) inside a run: its own step checks the items, then the
// item branch runs once per item, `concurrency` items at a time (parallel durable steps), each
// node's step named per item ("node:<id>:item:<i>"), so a retry or a crash never re-runs a
// finished item. The loop continues from its done port with every item's result, in item order.
import { interpretFlow, type InterpretResult, type NodeExecution } from "@/lib/flows/interpret-flow";
import type { FlowGraph, GraphNode } from "@/lib/flows/graph";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import type { ItemScope } from "./execute-node";

export interface LoopRun {
  node: GraphNode;
  /** The loop node, its item branch and the edges among them (splitLoops). */
  body: FlowGraph;
  /** Outputs of the loop node's ancestors: item branch nodes see them too. */
  upstream: Record<string, unknown>;
  /** The loop node's own durable step: the items to loop over (it throws when they are not an array or too many). */
  start(): Promise<unknown[]>;
  /** One node of the item branch for one item (a durable step per item, or inline for pure nodes). */
  runItemNode(node: GraphNode, upstream: Record<string, unknown>, item: ItemScope): Promise<NodeExecution>;
  /** Records the loop's outcome on its step row: its results, or the first failed item (the one failure path: it throws). */
  finish(outcome: { results: unknown[] } | { failedItem: number; failedNodeId: string; error: unknown }): Promise<void>;
}

type ItemOutcome = { index: number; failed: false; output: unknown } | { index: number; failed: true; nodeId: string; error: unknown };

export async function executeLoop(loop: LoopRun): Promise<NodeExecution> {
  const definition = getNodeDefinition(loop.node.kind);
  if (!definition?.loop) throw new Error(`Node "${loop.node.id}" of kind ${loop.node.kind} is not a loop`);
  const itemPort = definition.loop.itemPort;
  const concurrency = Math.max(1, Number((loop.node.config as { concurrency?: unknown }).concurrency) || 1);
  const items = await loop.start();
  const results: unknown[] = [];
  for (let first = 0; first < items.length; first += concurrency) {
    const batch = items.slice(first, first + concurrency).map((value, offset) => runItem(loop, itemPort, { index: first + offset, value }));
    const outcomes = await Promise.all(batch);
    // Items after a failed one are not started; those already in flight finish.
    const failed = outcomes.find((outcome) => outcome.failed);
    if (failed?.failed) {
      await loop.finish({ failedItem: failed.index, failedNodeId: failed.nodeId, error: failed.error });
      throw new Error(`Item ${failed.index} of loop "${loop.node.id}" failed`);
    }
    for (const outcome of outcomes) if (!outcome.failed) results[outcome.index] = outcome.output;
  }
  await loop.finish({ results });
  return { output: results, ports: [definition.loop.donePort] };
}

async function runItem(loop: LoopRun, itemPort: string, item: ItemScope): Promise<ItemOutcome> {
  const result = await interpretFlow(loop.body, {
    startNodeId: loop.node.id,
    execute: async (node, steps) =>
      node.id === loop.node.id ? { output: { item: item.value, itemIndex: item.index }, ports: [itemPort] } : loop.runItemNode(node, { ...loop.upstream, ...steps }, item),
  });
  const failedId = result.finishedOrder.find((id) => result.outcomes.get(id)?.status === "failed");
  if (failedId !== undefined) {
    const outcome = result.outcomes.get(failedId);
    return { index: item.index, failed: true, nodeId: failedId, error: outcome?.status === "failed" ? outcome.error : undefined };
  }
  return { index: item.index, failed: false, output: itemResult(loop, result) };
}

/** An item's result: the output of the item branch's last node, or by node id when it ends in several. */
function itemResult(loop: LoopRun, result: InterpretResult): unknown {
  const succeeded = (id: string) => id !== loop.node.id && result.outcomes.get(id)?.status === "succeeded";
  const leaves = result.finishedOrder.filter((id) => succeeded(id) && !loop.body.edges.some((edge) => edge.source === id && succeeded(edge.target)));
  const outputOf = (id: string) => {
    const outcome = result.outcomes.get(id);
    return outcome?.status === "succeeded" ? outcome.output : null;
  };
  if (leaves.length === 0) return null;
  if (leaves.length === 1) return outputOf(leaves[0]);
  // In graph order, so the shape does not depend on which branch finished first.
  return Object.fromEntries(loop.body.nodes.filter((node) => leaves.includes(node.id)).map((node) => [node.id, outputOf(node.id)]));
}
