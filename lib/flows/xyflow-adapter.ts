// The one place that converts the stored flow graph to and from @xyflow/react nodes and edges.
// Client-safe. Canvas-only facts (summary, port list, config issues) are derived here so node
// components only render.
import type { Edge, Node } from "@xyflow/react";
import { getNodeDefinition, outputPortsOf, summarizeNode } from "@/lib/nodes/definitions";
import { ERROR_PORT, onErrorOf, withErrorPort } from "@/lib/nodes/shared/error-handling";
import { validateNodeConfig } from "./validate-flow";
import type { FlowGraph, GraphEdge, GraphNode } from "./graph";

export interface StepNodeData extends Record<string, unknown> {
  kind: string;
  name: string;
  config: Record<string, unknown>;
  /** One line shown under the name. */
  summary: string;
  /** Output ports; the last known ports are kept while the config is incomplete. */
  ports: string[];
  portLabels: Record<string, string>;
  /** Messages of the node's own config problems (badge on the canvas). */
  configIssues: string[];
  isTrigger: boolean;
}

export type StepNode = Node<StepNodeData, "step">;
export type StepEdge = Edge;

export const STEP_NODE_TYPE = "step" as const;

/** Derives the canvas data of one node from its kind and config. */
export function describeStep(kind: string, name: string, config: Record<string, unknown>, previousPorts?: string[]): StepNodeData {
  const definition = getNodeDefinition(kind);
  const onError = onErrorOf({ config }, definition);
  // Kept ports may include the error port of an earlier "route" setting: it follows the current one.
  const kindPorts = outputPortsOf(kind, config) ?? previousPorts?.filter((port) => port !== ERROR_PORT) ?? definition?.fallbackPorts?.(config) ?? ["out"];
  const ports = withErrorPort(kindPorts, onError);
  return {
    kind,
    name,
    config,
    summary: summarizeNode(kind, config),
    ports,
    portLabels: onError === "route" ? { ...definition?.portLabels, [ERROR_PORT]: "On error" } : (definition?.portLabels ?? {}),
    configIssues: validateNodeConfig({ id: "node", kind, config }).map((issue) => issue.message.replace(/^Node "node": /, "")),
    isTrigger: definition?.isTrigger ?? false,
  };
}

export function toStepNode(node: GraphNode): StepNode {
  return {
    id: node.id,
    type: STEP_NODE_TYPE,
    position: { ...node.position },
    data: describeStep(node.kind, node.name, node.config),
  };
}

/** How an edge leaving a node's error output is drawn, on the canvas and in the run log. */
export const ERROR_EDGE_STYLE = { stroke: "#dc2626", strokeDasharray: "6 4" };

export function toStepEdge(edge: GraphEdge): StepEdge {
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourcePort,
    target: edge.target,
    label: edge.sourcePort === "out" ? undefined : edge.sourcePort,
    // The error path reads as such on the canvas: red and dashed.
    ...(edge.sourcePort === ERROR_PORT ? { style: ERROR_EDGE_STYLE, labelStyle: { fill: ERROR_EDGE_STYLE.stroke } } : {}),
  };
}

export function graphToCanvas(graph: FlowGraph): { nodes: StepNode[]; edges: StepEdge[] } {
  return { nodes: graph.nodes.map(toStepNode), edges: graph.edges.map(toStepEdge) };
}

export function canvasToGraph(nodes: readonly StepNode[], edges: readonly StepEdge[]): FlowGraph {
  return {
    nodes: nodes.map((node) => ({
      id: node.id,
      kind: node.data.kind,
      name: node.data.name,
      config: node.data.config,
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    })),
    edges: edges.map((edge) => ({ id: edge.id, source: edge.source, sourcePort: edge.sourceHandle ?? "out", target: edge.target })),
  };
}
