// What the run log calls each step: its name, else its kind's title; two unnamed steps of one
// kind get their ids added so they stay apart. Client-safe.
import { getNodeDefinition } from "@/lib/nodes/definitions";

export function stepLabels(nodes: readonly { id: string; kind: string; name: string }[]): Record<string, string> {
  const base = new Map(nodes.map((node) => [node.id, node.name.trim() || getNodeDefinition(node.kind)?.title || node.kind]));
  const count = new Map<string, number>();
  for (const label of base.values()) count.set(label, (count.get(label) ?? 0) + 1);
  return Object.fromEntries(nodes.map((node) => {
    const label = base.get(node.id)!;
    return [node.id, count.get(label)! > 1 && !node.name.trim() ? `${label} (${node.id})` : label];
  }));
}
