"use client";

// What a node's expressions can read, from the editor's point of view: the steps that run before
// it (as soon as they are connected), the sample request and the last test run's outputs, with
// each upstream step's example output standing in until a test run has produced a real one.
import { useMemo } from "react";
import { useEditor } from "@/components/canvas/editor-context";
import type { PreviewData, TemplateScope } from "@/lib/expressions/inspect-template";
import { enclosingLoops } from "@/lib/flows/loop-bodies";
import { getNodeDefinition, outputExampleOf } from "@/lib/nodes/definitions";
import { handledErrorExample, onErrorOf } from "@/lib/nodes/shared/error-handling";
import { triggerExampleOf } from "@/lib/flows/trigger-example";
import { toTriggerPayload } from "@/lib/runs/trigger-payload";

export interface UpstreamStep {
  id: string;
  name: string;
  /** The last test run's output, else the kind's example (undefined when neither is known). */
  output: unknown;
  source: "run" | "example" | null;
}

export interface ExpressionScope {
  scope: TemplateScope;
  data: PreviewData;
  upstream: UpstreamStep[];
  /** The trigger as expressions see it: the sample, or an empty skeleton. */
  trigger: PreviewData["context"]["trigger"];
  /** The for_each whose item branch this node is in: its expressions also read `item` and `itemIndex`. */
  loop: { id: string; name: string } | null;
}

// Stable while there is no sample: the skeleton's receivedAt must not change on every render.
const SKELETON = toTriggerPayload({ body: {}, headers: {}, query: {}, method: "POST", receivedAt: "2026-01-01T00:00:00.000Z" });

export function useExpressionScope(nodeId: string): ExpressionScope {
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const sample = useEditor((state) => state.samplePayload);
  const testRun = useEditor((state) => state.testRun);
  const flowId = useEditor((state) => state.flowId);

  return useMemo(() => {
    const incoming = new Map<string, string[]>();
    for (const edge of edges) incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);
    const seen = new Set<string>();
    const queue = [...(incoming.get(nodeId) ?? [])];
    while (queue.length) {
      const id = queue.shift()!;
      if (seen.has(id) || id === nodeId) continue;
      seen.add(id);
      queue.push(...(incoming.get(id) ?? []));
    }
    const names = new Map(nodes.map((node) => [node.id, node.data.name || getNodeDefinition(node.data.kind)?.title || node.id]));
    const upstream: UpstreamStep[] = nodes
      .filter((node) => seen.has(node.id) && !node.data.isTrigger)
      .map((node) => {
        const ran = testRun?.steps[node.id];
        if (ran && ran.output !== undefined && ran.output !== null) return { id: node.id, name: names.get(node.id)!, output: ran.output, source: "run" as const };
        const kindExample = outputExampleOf(node.data.kind, node.data.config);
        // A step that handles its failures may output its error instead: the picker offers both.
        const example = onErrorOf(node.data, getNodeDefinition(node.data.kind)) === "fail" ? kindExample : handledErrorExample(kindExample);
        return { id: node.id, name: names.get(node.id)!, output: example, source: example === undefined ? null : ("example" as const) };
      });
    const loopId = enclosingLoops({
      nodes: nodes.map((node) => ({ id: node.id, kind: node.data.kind })),
      edges: edges.map((edge) => ({ source: edge.source, sourcePort: edge.sourceHandle ?? "out", target: edge.target })),
    }).get(nodeId);
    // Without a sample, a trigger kind's example (a schedule's, a manual trigger's payload) shows the fields.
    const example = sample === null || sample === undefined ? triggerExampleOf({ nodes: nodes.filter((node) => seen.has(node.id)).map((node) => node.data) }) : undefined;
    const given = sample ?? example;
    const hasSample = given !== null && given !== undefined;
    const trigger = hasSample ? toTriggerPayload(given) : SKELETON;
    const steps: Record<string, unknown> = {};
    const stepSource: PreviewData["stepSource"] = {};
    for (const step of upstream) {
      if (step.source === null) continue;
      steps[step.id] = step.output;
      stepSource[step.id] = step.source;
    }
    // Triggers are upstream too: their step output is the request.
    for (const node of nodes) if (seen.has(node.id) && node.data.isTrigger) steps[node.id] = trigger;
    return {
      scope: { nodeIds: new Set(nodes.map((node) => node.id)), upstream: seen, nameOf: (id: string) => names.get(id) ?? id, inLoop: loopId !== undefined },
      data: {
        // The item itself is known only at run time; its index previews as the first.
        context: { trigger, steps, run: { id: testRun?.runId ?? "run_preview", flowId, attempt: 1 }, ...(loopId !== undefined ? { itemIndex: 0 } : {}) },
        hasSample,
        stepSource,
      },
      upstream,
      trigger,
      loop: loopId === undefined ? null : { id: loopId, name: names.get(loopId) ?? loopId },
    };
  }, [nodes, edges, sample, testRun, flowId, nodeId]);
}
