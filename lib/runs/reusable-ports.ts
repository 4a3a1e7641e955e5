// Which output ports a node activated, recovered from its stored output, so a "retry failed"
// replay can reuse the node without running it. Null means "run it again".
import type { GraphNode } from "@/lib/flows/graph";
import { outputPortsOf } from "@/lib/nodes/definitions";

export function reusablePorts(node: GraphNode, output: unknown): string[] | null {
  const value = (output ?? {}) as Record<string, unknown>;
  switch (node.kind) {
    case "condition":
      return typeof value.result === "boolean" ? [value.result ? "true" : "false"] : null;
    case "filter":
      return typeof value.passed === "boolean" ? (value.passed ? ["out"] : []) : null;
    case "switch":
      return typeof value.case === "string" ? [value.case] : value.case === null ? [] : null;
    case "wait_for_event":
      return typeof value.received === "boolean" ? [value.received ? "out" : "timeout"] : null;
    case "approval":
      return value.decision === "approve" ? ["approved"] : value.decision === "reject" ? ["rejected"] : null;
    default:
      return outputPortsOf(node.kind, node.config);
  }
}
