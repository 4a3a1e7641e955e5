import { z } from "zod";

// The flow graph contract (DESIGN.md): stored as JSON in Flow.draftGraph and FlowVersion.graph,
// parsed with these schemas on every read and write. Node kinds and their configs are checked
// separately against the node registry (lib/nodes) by the flow validator.

export const nodeIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "Node ids may contain only letters, digits, _ and -");

export const graphNodeSchema = z.object({
  id: nodeIdSchema,
  kind: z.string().min(1).max(64),
  name: z.string().max(200).default(""),
  config: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
});

export const graphEdgeSchema = z.object({
  id: z.string().min(1).max(128),
  source: nodeIdSchema,
  /** Output port of the source node: "out" for plain nodes, "true"/"false" for conditions, case names for switches. */
  sourcePort: z.string().min(1).max(64).default("out"),
  target: nodeIdSchema,
});

export const flowGraphSchema = z.object({
  nodes: z.array(graphNodeSchema).max(5000).default([]),
  edges: z.array(graphEdgeSchema).max(20000).default([]),
});

export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type FlowGraph = z.infer<typeof flowGraphSchema>;

export const EMPTY_GRAPH: FlowGraph = { nodes: [], edges: [] };

/** Parses stored graph JSON; throws a ZodError naming the offending path. */
export function parseFlowGraph(value: unknown): FlowGraph {
  return flowGraphSchema.parse(value ?? EMPTY_GRAPH);
}
