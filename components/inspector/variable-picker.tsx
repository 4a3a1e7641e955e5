"use client";

// Browsable tree of what expressions can read: the trigger's sample payload and the outputs of
// upstream steps from the last test run. Choosing an entry inserts {{ path }}.
import { Braces, ChevronRight } from "lucide-react";
import { useMemo, useState } from "react";
import { pathSegment } from "@/lib/expressions/missing-path";
import { toTriggerPayload } from "@/lib/runs/trigger-payload";
import { useEditor } from "@/components/canvas/editor-context";

const MAX_CHILDREN = 50;


export function VariablePicker({ nodeId, onInsert, onClose }: { nodeId: string; onInsert: (reference: string) => void; onClose: () => void }) {
  const sample = useEditor((state) => state.samplePayload);
  const edges = useEditor((state) => state.edges);
  const nodes = useEditor((state) => state.nodes);
  const testRun = useEditor((state) => state.testRun);

  const upstream = useMemo(() => {
    const incoming = new Map<string, string[]>();
    for (const edge of edges) incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);
    const seen = new Set<string>();
    const queue = [...(incoming.get(nodeId) ?? [])];
    while (queue.length) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(incoming.get(id) ?? []));
    }
    return nodes.filter((node) => seen.has(node.id) && !node.data.isTrigger);
  }, [edges, nodes, nodeId]);

  const trigger = sample === null || sample === undefined ? null : toTriggerPayload(sample);

  return (
    <div role="dialog" aria-label="Insert a variable" className="absolute right-0 z-20 mt-1 max-h-80 w-80 overflow-y-auto rounded-lg bg-white p-2 text-xs shadow-lg ring-1 ring-slate-200">
      <div className="mb-1 flex items-center justify-between px-1">
        <span className="font-semibold text-slate-700">Insert a variable</span>
        <button type="button" onClick={onClose} className="rounded px-1.5 py-0.5 text-slate-500 hover:bg-slate-100">
          Close
        </button>
      </div>
      <Tree label="trigger" path="trigger" value={trigger ?? { body: {}, headers: {}, query: {}, method: "POST" }} onInsert={onInsert} defaultOpen />
      {!trigger ? <p className="px-1 pb-1 text-slate-500">No sample yet: use “Listen for test event” on the trigger to see its fields.</p> : null}
      {upstream.map((node) => (
        <Tree
          key={node.id}
          label={`steps.${node.id}`}
          title={node.data.name || node.id}
          path={`steps.${pathSegment(node.id)}`}
          value={testRun?.steps[node.id]?.output}
          onInsert={onInsert}
        />
      ))}
      {upstream.length === 0 ? <p className="px-1 pt-1 text-slate-500">Connect steps before this one to use their output.</p> : null}
      <Tree label="run" path="run" value={{ id: "", flowId: "", attempt: 1 }} onInsert={onInsert} />
    </div>
  );
}

function Tree({ label, title, path, value, onInsert, defaultOpen = false }: { label: string; title?: string; path: string; value: unknown; onInsert: (reference: string) => void; defaultOpen?: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  const children = value && typeof value === "object" ? Object.entries(value as Record<string, unknown>).slice(0, MAX_CHILDREN) : [];
  const isArray = Array.isArray(value);
  return (
    <div className="pl-1">
      <div className="flex items-center gap-1">
        {children.length ? (
          <button type="button" aria-expanded={open} aria-label={`${open ? "Collapse" : "Expand"} ${path}`} onClick={() => setOpen(!open)} className="rounded p-0.5 text-slate-400 hover:bg-slate-100">
            <ChevronRight className={`size-3 transition-transform ${open ? "rotate-90" : ""}`} aria-hidden />
          </button>
        ) : (
          <span className="w-4" />
        )}
        <button type="button" onClick={() => onInsert(`{{ ${path} }}`)} className="flex min-w-0 flex-1 items-center gap-1 rounded px-1 py-0.5 text-left hover:bg-brand-50" title={`Insert {{ ${path} }}`}>
          <span className="font-mono text-slate-800">{label}</span>
          {title ? <span className="truncate text-slate-400">{title}</span> : null}
          {children.length === 0 && value !== undefined && typeof value !== "object" ? <span className="ml-auto max-w-28 truncate text-slate-400">{String(value)}</span> : null}
        </button>
      </div>
      {open ? (
        <div className="ml-2 border-l border-slate-100">
          {children.map(([key, child]) => (
            <Tree key={key} label={isArray ? `[${key}]` : key} path={isArray ? `${path}[${key}]` : `${path}.${pathSegment(key)}`} value={child} onInsert={onInsert} />
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function VariableButton({ onClick, expanded }: { onClick: () => void; expanded: boolean }) {
  return (
    <button type="button" onClick={onClick} aria-expanded={expanded} title="Insert a variable" aria-label="Insert a variable" className="grid size-7 shrink-0 place-items-center rounded-md text-slate-500 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 hover:text-brand-600">
      <Braces className="size-3.5" aria-hidden />
    </button>
  );
}
