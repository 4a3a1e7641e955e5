// Auto-layout with elkjs (layered, left to right, ports in order). Loaded on demand: elk is large.
import type { XYPosition } from "@xyflow/react";
import type { StepEdge, StepNode } from "@/lib/flows/xyflow-adapter";

const DEFAULT_WIDTH = 240;
const DEFAULT_HEIGHT = 72;

export async function layoutPositions(nodes: readonly StepNode[], edges: readonly StepEdge[]): Promise<Record<string, XYPosition>> {
  const { default: ELK } = await import("elkjs/lib/elk.bundled.js");
  const elk = new ELK();
  const ids = new Set(nodes.map((node) => node.id));
  const result = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.spacing.nodeNode": "40",
      "elk.layered.spacing.nodeNodeBetweenLayers": "90",
      "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
      "elk.portConstraints": "FIXED_ORDER",
    },
    children: nodes.map((node) => ({
      id: node.id,
      width: node.measured?.width ?? DEFAULT_WIDTH,
      height: node.measured?.height ?? DEFAULT_HEIGHT,
      ports: node.data.ports.map((port, index) => ({ id: `${node.id}::${port}`, layoutOptions: { "elk.port.side": "EAST", "elk.port.index": String(index) } })),
      layoutOptions: { "elk.portConstraints": "FIXED_ORDER" },
    })),
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => {
        const port = `${edge.source}::${edge.sourceHandle ?? "out"}`;
        const sourceNode = nodes.find((node) => node.id === edge.source);
        return { id: edge.id, sources: [sourceNode?.data.ports.includes(edge.sourceHandle ?? "out") ? port : edge.source], targets: [edge.target] };
      }),
  });
  const positions: Record<string, XYPosition> = {};
  for (const child of result.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
