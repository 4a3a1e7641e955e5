"use client";

import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { memo, useMemo } from "react";
import { nodeDefinitions } from "@/lib/nodes/definitions";
import type { NodeKind } from "@/lib/nodes/node-kinds";
import { formatDuration } from "./run-status-badge";

export interface RunGraphNode {
  id: string;
  kind: string;
  name: string;
  position: { x: number; y: number };
}

export interface NodeRunState {
  status: string;
  durationMs: number | null;
  attempts: number;
}

type RunNodeData = { node: RunGraphNode; state: NodeRunState | undefined; selected: boolean };

const STATUS_STYLE: Record<string, string> = {
  succeeded: "border-emerald-500 bg-emerald-50",
  failed: "border-red-500 bg-red-50",
  running: "border-brand-500 bg-brand-50 animate-pulse",
  waiting: "border-amber-500 bg-amber-50",
  skipped: "border-slate-300 bg-slate-50 opacity-60 border-dashed",
  cancelled: "border-slate-400 bg-slate-100",
};

const RunNode = memo(function RunNode({ data }: NodeProps<Node<RunNodeData>>) {
  const { node, state, selected } = data;
  const title = nodeDefinitions[node.kind as NodeKind]?.title ?? node.kind;
  return (
    <div
      className={`w-52 rounded-lg border-2 px-3 py-2 text-left shadow-sm ${state ? (STATUS_STYLE[state.status] ?? "border-slate-300 bg-white") : "border-slate-200 bg-white opacity-70"} ${selected ? "ring-2 ring-brand-500 ring-offset-2" : ""}`}
    >
      <Handle type="target" position={Position.Left} className="!bg-slate-400" isConnectable={false} />
      <div className="truncate text-sm font-medium text-slate-900">{node.name || title}</div>
      <div className="flex items-center justify-between text-xs text-slate-500">
        <span>{title}</span>
        <span data-testid={`node-status-${node.id}`}>
          {state ? `${state.status}${state.durationMs !== null ? ` · ${formatDuration(state.durationMs)}` : ""}` : "not reached"}
        </span>
      </div>
      {state && state.attempts > 1 ? <div className="text-xs text-amber-700">{state.attempts} attempts</div> : null}
      <Handle type="source" position={Position.Right} className="!bg-slate-400" isConnectable={false} />
    </div>
  );
});

const nodeTypes = { run: RunNode };

/** The flow version a run used, read-only, each node coloured by its outcome in this run. */
export function RunGraph({
  nodes,
  edges,
  states,
  selectedNodeId,
  onSelect,
}: {
  nodes: RunGraphNode[];
  edges: { id: string; source: string; target: string; sourcePort?: string }[];
  states: Record<string, NodeRunState>;
  selectedNodeId: string | null;
  onSelect: (nodeId: string) => void;
}) {
  const flowNodes = useMemo<Node<RunNodeData>[]>(
    () =>
      nodes.map((node) => ({
        id: node.id,
        type: "run",
        position: node.position,
        data: { node, state: states[node.id], selected: node.id === selectedNodeId },
        draggable: false,
        connectable: false,
      })),
    [nodes, states, selectedNodeId],
  );
  const flowEdges = useMemo<Edge[]>(
    () =>
      edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.sourcePort && e.sourcePort !== "out" ? e.sourcePort : undefined,
        animated: states[e.source]?.status === "succeeded" && states[e.target]?.status === "running",
      })),
    [edges, states],
  );
  return (
    <div className="h-80 rounded-lg bg-slate-50 ring-1 ring-slate-200">
      <ReactFlow
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        onNodeClick={(_, node) => onSelect(node.id)}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
