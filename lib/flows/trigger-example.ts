// What a flow's trigger looks like before any request came in: its kind's example (a schedule's
// { scheduledAt, cron, timezone }, a manual trigger's example payload). Stands in for a sample in
// the variable picker, publish warnings and test runs. Client-safe.
import { getNodeDefinition, outputExampleOf } from "@/lib/nodes/definitions";

export function triggerExampleOf(graph: { nodes?: { kind: string; config?: unknown }[] } | null): unknown {
  const trigger = (Array.isArray(graph?.nodes) ? graph.nodes : []).find((node) => getNodeDefinition(node.kind)?.isTrigger);
  return trigger ? outputExampleOf(trigger.kind, trigger.config) : undefined;
}
