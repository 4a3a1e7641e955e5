// Which output ports a node activated, recovered from its stored output, so a "retry failed"
// replay can reuse the node without running it. Null means "run it again".
import type { GraphNode } from "@/lib/flows/graph";
import { getNodeDefinition, outputPortsOf } from "@/lib/nodes/definitions";

export function reusablePorts(node: GraphNode, output: unknown): string[] | null {
  const portsFromOutput = getNodeDefinition(node.kind)?.portsFromOutput;
  return portsFromOutput ? portsFromOutput((output ?? {}) as Record<string, unknown>) : outputPortsOf(node.kind, node.config);
}
