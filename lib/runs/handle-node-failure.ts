// What a node that failed for good (after its retries) means for the rest of the run, by its
// onError setting: "fail" fails it, "continue" and "route" let the run go on with the error as the
// node's output (lib/nodes/shared/error-handling.ts). Deterministic from the node's config, so a
// replayed run takes the same path.
import type { NodeExecution } from "@/lib/flows/interpret-flow";
import type { GraphNode } from "@/lib/flows/graph";
import { getNodeDefinition, outputPortsOf } from "@/lib/nodes/definitions";
import { ERROR_PORT, handledErrorOutput, onErrorOf, type HandledAs } from "@/lib/nodes/shared/error-handling";

/** How the node's failure is handled, as recorded on its failed step; undefined when it fails the run. */
export function handledAs(node: GraphNode): HandledAs | undefined {
  const mode = onErrorOf(node, getNodeDefinition(node.kind));
  return mode === "continue" ? "continued" : mode === "route" ? "routed" : undefined;
}

/**
 * The execution that stands in for a failed node, or null when its failure fails the run.
 * "continue" takes the node's first output (as n8n's "Continue (regular output)" does: a condition
 * goes on through "true"), "route" only its error output.
 */
export function settleFailure(node: GraphNode, record: Record<string, unknown>): NodeExecution | null {
  const handled = handledAs(node);
  if (!handled) return null;
  const output = handledErrorOutput(record);
  if (handled === "routed") return { output, ports: [ERROR_PORT] };
  const ports = outputPortsOf(node.kind, node.config) ?? getNodeDefinition(node.kind)?.fallbackPorts?.(node.config) ?? ["out"];
  return { output, ports: ports.slice(0, 1) };
}
