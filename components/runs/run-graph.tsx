"use client";

import { Background, Controls, Handle, Position, ReactFlow, type Edge, type Node, type NodeProps } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { memo, useMemo } from "react";
import { NodeIcon } from "@/components/canvas/node-icon";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { ERROR_EDGE_STYLE } from "@/lib/flows/xyflow-adapter";
import { ERROR_PORT } from "@/lib/nodes/shared/error-handling";
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
  /** A loop, or a node of a loop's item branch: how its items went. */
  items?: { total: number; succeeded: number; failed: number };
  /** A failure its onError setting handled: the run went on. */
  handled?: boolean;
}

type RunNodeData = { node: RunGraphNode; label: string; state: NodeRunState | undefined; selected: boolean };

const STATUS_STYLE: Record<string, string> = {
  succeeded: "border-emerald-500 bg-emerald-50",
  failed: "border-red-500 bg-red-50",
  // Failed, but its onError setting let the run go on.
  handled: "border-orange-400 bg-orange-50",
  running: "border-brand-500 bg-brand-50 animate-pulse",
  waiting: "border-amber-500 bg-amber-50",
  retrying: "border-amber-500 bg-amber-50",
  skipped: "border-slate-300 bg-slate-50 opacity-60 border-dashed",
  cancelled: "border-slate-400 bg-slate-100",
};

const RunNode = memo(function RunNode({ data }: NodeProps<Node<RunNodeData>>) {
  const { node, label, state, selected } = data;
  const definition = getNodeDefinition(node.kind);
  const title = definition?.title ?? node.kind;
  return (
    <div
      className={`w-48 rounded-lg border-2 px-2.5 py-1.5 text-left shadow-sm ${state ? (STATUS_STYLE[state.handled ? "handled" : state.status] ?? "border-slate-300 bg-white") : "border-slate-200 bg-white opacity-70"} ${selected ? "ring-2 ring-brand-500 ring-offset-2" : ""}`}
    >
      <Handle type="target" position={Position.Left} className="!bg-slate-400" isConnectable={false} />
      <div className="flex items-center gap-1.5">
        <NodeIcon name={definition?.icon} className="size-3.5 shrink-0 text-slate-500" />
        <span className="truncate text-[13px] font-medium text-slate-900" title={label}>
          {label}
        </span>
      </div>
      {/* The kind only when the name does not already say it. */}
      {label !== title ? <div className="truncate text-[11px] text-slate-500">{title}</div> : null}
      <div className="mt-0.5 flex items-center justify-between gap-2 text-[11px] whitespace-nowrap text-slate-600">
        <span data-testid={`node-status-${node.id}`}>
          {state
            ? state.items
              ? `${state.items.succeeded}/${state.items.total} items${state.items.failed ? ` · ${state.items.failed} failed` : ""}`
              : `${state.status}${state.handled ? " (handled)" : ""}${state.durationMs !== null && state.status !== "retrying" ? ` · ${formatDuration(state.durationMs)}` : ""}`
            : "not reached"}
        </span>
        {state && state.attempts > 1 ? <span className="text-amber-700">{state.attempts} attempts</span> : null}
      </div>
      <Handle type="source" position={Position.Right} className="!bg-slate-400" isConnectable={false} />
    </div>
  );
});

const nodeTypes = { run: RunNode };

/** The flow version a run used, read-only, each node coloured by its outcome in this run, drawn no larger than life. */
export function RunGraph({
  nodes,
  edges,
  labels,
  states,
  selectedNodeId,
  onSelect,
}: {
  nodes: RunGraphNode[];
  edges: { id: string; source: string; target: string; sourcePort?: string }[];
  labels: Record<string, string>;
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
        data: { node, label: labels[node.id] ?? node.id, state: states[node.id], selected: node.id === selectedNodeId },
        draggable: false,
        connectable: false,
      })),
    [nodes, labels, states, selectedNodeId],
  );
  const flowEdges = useMemo<Edge[]>(
    () =>
      edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.sourcePort && e.sourcePort !== "out" ? e.sourcePort : undefined,
        animated: states[e.source]?.status === "succeeded" && states[e.target]?.status === "running",
        ...(e.sourcePort === ERROR_PORT ? { style: ERROR_EDGE_STYLE } : {}),
      })),
    [edges, states],
  );
  return (
    <div className="h-64 rounded-lg bg-slate-50 ring-1 ring-slate-200 sm:h-72" data-testid="run-graph">
      <ReactFlow
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        fitView
        // A small flow is shown at its real size, not blown up to fill the box.
        fitViewOptions={{ maxZoom: 1, padding: 0.15 }}
        minZoom={0.2}
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
