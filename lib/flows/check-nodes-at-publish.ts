// Server-only: the publish checks a kind's runner does on the server (validateFlow's are
// client-safe), such as compiling a code node's source. Issues read like validateFlow's.
import { getNodeDefinition, type NodeKind } from "@/lib/nodes/definitions";
import type { NodeRunner } from "@/lib/nodes/node-runner";
import { nodeRunners } from "@/lib/nodes/runners";
import type { FlowGraph } from "./graph";
import type { FlowIssue } from "./validate-flow";

export async function checkNodesAtPublish(graph: FlowGraph): Promise<FlowIssue[]> {
  const checks = graph.nodes.map(async (node): Promise<FlowIssue[]> => {
    const definition = getNodeDefinition(node.kind);
    const runner = definition ? (nodeRunners[node.kind as NodeKind] as NodeRunner<unknown>) : undefined;
    const parsed = definition?.configSchema.safeParse(node.config);
    if (!runner?.checkAtPublish || !parsed?.success) return []; // validateFlow reports unknown kinds and invalid configs
    const problems = await runner.checkAtPublish(parsed.data);
    return problems.map(({ field, message }) => ({ nodeId: node.id, field, message: `Node "${node.id}": ${field ? `${field}: ` : ""}${message}` }));
  });
  return (await Promise.all(checks)).flat();
}
