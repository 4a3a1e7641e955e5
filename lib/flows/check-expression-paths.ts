// Publish-time warnings for expression paths the data does not have: `{{ steps.shape.output.amount }}`
// when shape's last output has no `output` key evaluates to nothing and the run quietly goes
// another way. Checked against the trigger's sample payload and each step's last output; a
// reference with nothing to check against is not reported. Warnings, never blocking. Client-safe.
import { checkableReferences, findMissingField, formatPath } from "@/lib/expressions/missing-path";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { onErrorOf } from "@/lib/nodes/shared/error-handling";
import type { FlowGraph, GraphNode } from "./graph";
import { nodeExpressions, type FlowIssue } from "./validate-flow";

export interface PathSamples {
  /** The trigger payload ({ body, headers, query, method, receivedAt }) of the flow's sample or last run. */
  trigger?: unknown;
  /** What each step (by node id) produced in its last successful run. */
  steps: Record<string, unknown>;
}

const RUN_SAMPLE = { id: "", flowId: "", attempt: 1 };

export function checkExpressionPaths(graph: FlowGraph, samples: PathSamples): FlowIssue[] {
  const warnings: FlowIssue[] = [];
  // `steps.<id>.error` exists only when such a node failed, so a successful sample never has it.
  const handlesErrors = new Set(graph.nodes.filter((node) => onErrorOf(node, getNodeDefinition(node.kind)) !== "fail").map((node) => node.id));
  for (const node of graph.nodes) {
    const allowed = emptyAllowedFields(node);
    for (const { field, source } of nodeExpressions(node)) {
      if (allowed.has(field)) continue;
      for (const reference of checkableReferences(source)) {
        if (reference.root === "steps" && handlesErrors.has(reference.nodeId ?? "") && reference.path[2] === "error") continue;
        const sample = sampleFor(reference.root, reference.nodeId, samples);
        if (!sample) continue;
        const missing = findMissingField({ [reference.root]: sample.value }, reference.path);
        // steps.<id> itself missing means the node did not run before: validateFlow reports that.
        if (!missing || (reference.root === "steps" && missing.path.length <= 2)) continue;
        warnings.push({
          nodeId: node.id,
          field,
          severity: "warning",
          message: `Node "${node.id}": ${field}: {{ ${source} }} would be empty: ${formatPath(missing.path.slice(0, -1))} has no field "${missing.path.at(-1)}" in ${sample.name} (${missing.found})`,
        });
      }
    }
  }
  return warnings;
}

function emptyAllowedFields(node: GraphNode): Set<string> {
  const definition = getNodeDefinition(node.kind);
  const parsed = definition?.configSchema.safeParse(node.config);
  return new Set(parsed?.success && definition?.emptyAllowedFields ? definition.emptyAllowedFields(parsed.data) : []);
}

function sampleFor(root: string, nodeId: string | undefined, samples: PathSamples): { value: unknown; name: string } | null {
  if (root === "trigger") return samples.trigger === undefined ? null : { value: samples.trigger, name: "the trigger's sample payload" };
  if (root === "run") return { value: RUN_SAMPLE, name: "any run" };
  if (root === "steps" && nodeId !== undefined && Object.hasOwn(samples.steps, nodeId)) return { value: { [nodeId]: samples.steps[nodeId] }, name: `the last run of "${nodeId}"` };
  return null;
}
