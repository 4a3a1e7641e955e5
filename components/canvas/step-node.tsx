"use client";

// The one node component of the canvas (memoized: xyflow re-renders only nodes whose props changed).
import { Handle, Position, useStore as useFlowStore, type NodeProps, type ReactFlowState } from "@xyflow/react";
import { AlertTriangle, CheckCircle2, Loader2, Plus, ShieldCheck, ShieldOff, XCircle } from "lucide-react";
import { memo } from "react";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { ERROR_PORT } from "@/lib/nodes/shared/error-handling";
import type { StepNode } from "@/lib/flows/xyflow-adapter";
import { describeEndpointSecurity } from "@/lib/webhooks/endpoints/endpoint-input";
import { useEditor } from "./editor-context";
import { NodeIcon } from "./node-icon";

const CATEGORY_COLORS: Record<string, string> = {
  triggers: "bg-violet-100 text-violet-700",
  http: "bg-sky-100 text-sky-700",
  messaging: "bg-emerald-100 text-emerald-700",
  data: "bg-amber-100 text-amber-800",
  logic: "bg-orange-100 text-orange-700",
  timing: "bg-slate-200 text-slate-700",
  response: "bg-pink-100 text-pink-700",
};

const RUN_STYLES: Record<string, { ring: string; label: string }> = {
  running: { ring: "ring-2 ring-sky-400", label: "Running" },
  queued: { ring: "ring-2 ring-sky-300", label: "Queued" },
  waiting: { ring: "ring-2 ring-amber-400", label: "Waiting" },
  retrying: { ring: "ring-2 ring-amber-400", label: "Retrying" },
  succeeded: { ring: "ring-2 ring-emerald-500", label: "Succeeded" },
  failed: { ring: "ring-2 ring-red-500", label: "Failed" },
  skipped: { ring: "ring-1 ring-slate-300 opacity-60", label: "Skipped" },
};

// Far out, text is unreadable anyway: a lighter node keeps big flows smooth to pan and drag.
const ZOOMED_OUT = 0.4;
const isZoomedOut = (state: ReactFlowState) => state.transform[2] < ZOOMED_OUT;

function StepNodeView({ id, data, selected }: NodeProps<StepNode>) {
  const zoomedOut = useFlowStore(isZoomedOut);
  const definition = getNodeDefinition(data.kind);
  const run = useEditor((state) => state.testRun?.steps[id]);
  const hasPublishIssue = useEditor((state) => state.issues.some((issue) => issue.nodeId === id));
  const readOnly = useEditor((state) => state.readOnly);
  // Strings and booleans, so the node re-renders only when its summary changes.
  const securityText = useEditor((state) => (data.isTrigger && state.endpoints[id] ? describeEndpointSecurity(state.endpoints[id]) : null));
  const signed = useEditor((state) => !!state.endpoints[id] && state.endpoints[id].authScheme !== "none");
  const openQuickAdd = useEditor((state) => state.openQuickAdd);
  const title = data.name || definition?.title || data.kind;
  const multiPort = data.ports.length > 1 || (data.ports.length === 1 && data.ports[0] !== "out");
  const runStyle = run ? RUN_STYLES[run.status] : undefined;
  const invalid = data.configIssues.length > 0 || !definition;

  if (zoomedOut) {
    return (
      <div className={`relative flex h-14 w-60 items-center gap-3 rounded-lg bg-white px-3 ${selected ? "ring-2 ring-brand-500" : invalid || hasPublishIssue ? "ring-2 ring-red-400" : (runStyle?.ring ?? "ring-1 ring-slate-300")}`} data-testid={`node-${id}`} aria-label={title}>
        {!data.isTrigger ? <Handle type="target" position={Position.Left} className="!size-3 !bg-slate-500" /> : null}
        <span className={`size-6 shrink-0 rounded ${CATEGORY_COLORS[definition?.category ?? ""] ?? "bg-slate-100"}`} />
        <span className="truncate text-lg font-semibold text-slate-800">{title}</span>
        {data.ports.map((port, index) => (
          <Handle key={port} type="source" id={port} position={Position.Right} style={{ top: `${((index + 1) * 100) / (data.ports.length + 1)}%` }} className={`!size-3 ${port === ERROR_PORT ? "!bg-red-500" : "!bg-brand-500"}`} />
        ))}
      </div>
    );
  }

  const ring = selected
    ? "ring-2 ring-brand-500"
    : hasPublishIssue
      ? "ring-2 ring-red-500"
      : (runStyle?.ring ?? "ring-1 ring-slate-300");

  return (
    <div
      className={`relative w-60 rounded-lg bg-white text-left shadow-sm ${ring}`}
      data-testid={`node-${id}`}
      aria-label={`${title} (${definition?.title ?? data.kind})${invalid ? ", needs attention" : ""}`}
    >
      {!data.isTrigger ? <Handle type="target" position={Position.Left} className="!size-3 !border-2 !border-white !bg-slate-500" aria-label={`Input of ${title}`} /> : null}
      <div className="flex items-start gap-2 px-3 pt-2.5 pb-2">
        <span className={`mt-0.5 grid size-7 shrink-0 place-items-center rounded-md ${CATEGORY_COLORS[definition?.category ?? ""] ?? "bg-slate-100 text-slate-600"}`}>
          <NodeIcon name={definition?.icon} />
        </span>
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-1.5">
            <span className="truncate text-sm font-semibold text-slate-900">{title}</span>
            {invalid ? (
              <span title={data.configIssues[0] ?? "Unknown node kind"} className="shrink-0 text-red-600">
                <AlertTriangle className="size-3.5" aria-label="Invalid configuration" />
              </span>
            ) : null}
          </div>
          <p className="truncate text-xs text-slate-500" title={data.summary}>
            {data.summary}
          </p>
        </div>
      </div>
      {securityText ? (
        <div className="flex items-center gap-1 border-t border-slate-100 px-2.5 py-1 text-[10px] text-slate-600" title={securityText} data-testid={`security-${id}`}>
          {signed ? <ShieldCheck className="size-3 shrink-0 text-emerald-600" aria-hidden /> : <ShieldOff className="size-3 shrink-0 text-slate-400" aria-hidden />}
          <span className="truncate">{securityText}</span>
        </div>
      ) : null}
      {run ? (
        <div className="flex items-center gap-1 border-t border-slate-100 px-3 py-1 text-[11px] text-slate-600" data-testid={`run-status-${id}`}>
          <RunIcon status={run.status} />
          <span>{runStyle?.label ?? run.status}</span>
          {run.durationMs !== null ? <span className="ml-auto tabular-nums">{formatDuration(run.durationMs)}</span> : null}
        </div>
      ) : null}
      {multiPort ? (
        <div className="border-t border-slate-100 py-1">
          {data.ports.map((port) => (
            <div key={port} className={`relative flex h-6 items-center justify-end pr-4 text-[11px] font-medium ${port === ERROR_PORT ? "text-red-600" : "text-slate-600"}`}>
              {data.portLabels[port] ?? port}
              {!readOnly ? (
                <button
                  type="button"
                  className="nodrag nopan ml-1.5 grid size-4 place-items-center rounded text-slate-400 hover:bg-slate-100 hover:text-slate-700"
                  aria-label={`Add a step after ${title} (${data.portLabels[port] ?? port})`}
                  onClick={(event) => {
                    event.stopPropagation();
                    openQuickAdd({ from: { nodeId: id, port } });
                  }}
                >
                  <Plus className="size-3" aria-hidden />
                </button>
              ) : null}
              <Handle
                type="source"
                id={port}
                position={Position.Right}
                className={`!size-3 !border-2 !border-white ${port === ERROR_PORT ? "!rounded-sm !bg-red-500" : "!bg-brand-500"}`}
                aria-label={`Output ${port} of ${title}`}
              />
            </div>
          ))}
        </div>
      ) : data.ports.length === 1 ? (
        <>
          <Handle type="source" id="out" position={Position.Right} className="!size-3 !border-2 !border-white !bg-brand-500" aria-label={`Output of ${title}`} />
          {!readOnly ? (
            <button
              type="button"
              className="nodrag nopan absolute top-1/2 -right-9 grid size-5 -translate-y-1/2 place-items-center rounded-full bg-white text-slate-500 shadow ring-1 ring-slate-300 hover:text-brand-600"
              aria-label={`Add a step after ${title}`}
              onClick={(event) => {
                event.stopPropagation();
                openQuickAdd({ from: { nodeId: id, port: "out" } });
              }}
            >
              <Plus className="size-3.5" aria-hidden />
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function RunIcon({ status }: { status: string }) {
  if (status === "succeeded") return <CheckCircle2 className="size-3 text-emerald-600" aria-hidden />;
  if (status === "failed") return <XCircle className="size-3 text-red-600" aria-hidden />;
  if (status === "running" || status === "queued" || status === "retrying") return <Loader2 className="size-3 animate-spin text-sky-600" aria-hidden />;
  return null;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export const StepNodeComponent = memo(StepNodeView);
