"use client";

// Browsable tree of what expressions can read: the trigger's sample request, the outputs of the
// steps that run before this one (from the last test run, else their kind's example output, as
// soon as they are connected) and the run. Clicking a field inserts its full path as {{ path }}.
// It opens beside the inspector, next to its field, always inside the viewport.
import { Braces, ChevronRight, CornerDownLeft, Search, X } from "lucide-react";
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type RefObject } from "react";
import { createPortal } from "react-dom";
import { pathSegment } from "@/lib/expressions/missing-path";
import { useExpressionScope } from "./use-expression-scope";

const MAX_CHILDREN = 50;
const MAX_MATCHES = 50;
const WIDTH = 320;
const GAP = 8;

function childPath(path: string, key: string, isArray: boolean): string {
  return isArray ? `${path}[${key}]` : `${path}.${pathSegment(key)}`;
}

export function VariablePicker({ nodeId, anchor, onInsert, onClose }: { nodeId: string; anchor: RefObject<HTMLElement | null>; onInsert: (reference: string) => void; onClose: () => void }) {
  const { upstream, trigger, data, loop } = useExpressionScope(nodeId);
  const dialog = useRef<HTMLDivElement>(null);
  const style = usePlacement(anchor, dialog);
  const [query, setQuery] = useState("");

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key === "Escape") {
        event.stopPropagation();
        onClose();
      }
    }
    function onPointer(event: PointerEvent) {
      const target = event.target as Node;
      if (dialog.current?.contains(target) || anchor.current?.contains(target)) return;
      onClose();
    }
    window.addEventListener("keydown", onKey, true);
    window.addEventListener("pointerdown", onPointer, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      window.removeEventListener("pointerdown", onPointer, true);
    };
  }, [anchor, onClose]);

  const roots = useMemo(
    () => [
      { path: "trigger", value: trigger },
      ...upstream.map((step) => ({ path: `steps.${pathSegment(step.id)}`, value: step.output })),
      { path: "run", value: data.context.run },
      ...(loop ? [{ path: "item", value: "(the current item)" }, { path: "itemIndex", value: 0 }] : []),
    ],
    [trigger, upstream, data.context.run, loop],
  );
  const matches = useMemo(() => (query.trim() ? findLeaves(roots, query.trim().toLowerCase()) : []), [roots, query]);

  return createPortal(
    <div ref={dialog} role="dialog" aria-label="Insert a variable" style={style} className="fixed z-50 flex flex-col rounded-lg bg-white text-xs shadow-xl ring-1 ring-slate-200">
      <div className="flex items-center gap-2 border-b border-slate-100 px-2.5 py-2">
        <span className="flex-1 font-semibold text-slate-700">Insert a variable</span>
        <button type="button" onClick={onClose} aria-label="Close the variable picker" className="rounded p-0.5 text-slate-400 hover:bg-slate-100 hover:text-slate-700">
          <X className="size-3.5" aria-hidden />
        </button>
      </div>
      <label className="relative mx-2 mt-2 block">
        <span className="sr-only">Search fields</span>
        <Search className="pointer-events-none absolute top-1.5 left-2 size-3.5 text-slate-400" aria-hidden />
        <input type="search" autoFocus value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search fields…" className="w-full rounded-md border-0 py-1 pr-2 pl-7 text-xs ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500" />
      </label>
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        {query.trim() ? (
          <ul aria-label="Matching fields">
            {matches.map((leaf) => (
              <li key={leaf.path}>
                <button type="button" onClick={() => onInsert(`{{ ${leaf.path} }}`)} title={`Insert {{ ${leaf.path} }}`} className="flex w-full items-center gap-2 rounded px-1.5 py-1 text-left hover:bg-brand-50">
                  <span className="truncate font-mono text-slate-800">{leaf.path}</span>
                  <span className="ml-auto max-w-24 shrink-0 truncate text-slate-400">{preview(leaf.value)}</span>
                </button>
              </li>
            ))}
            {matches.length === 0 ? <li className="px-1.5 py-1 text-slate-500">No field matches “{query.trim()}”.</li> : null}
          </ul>
        ) : (
          <>
            <Section title="Trigger request" note={data.hasSample ? "from the sample" : "no sample yet"}>
              <Tree label="trigger" path="trigger" value={trigger} onInsert={onInsert} depth={0} defaultOpen={data.hasSample ? 2 : 1} />
              {!data.hasSample ? <p className="px-1 pb-1 text-slate-500">Use “Listen for test event” on the trigger to see the fields of a real request.</p> : null}
            </Section>
            <Section title="Earlier steps">
              {upstream.map((step) => (
                <div key={step.id}>
                  <p className="mt-1 flex items-center gap-1.5 px-1 text-[11px] text-slate-500">
                    <span className="truncate font-medium text-slate-700">{step.name}</span>
                    {step.source === "example" ? (
                      <span className="shrink-0 rounded bg-amber-50 px-1 text-amber-800" title="What this step outputs, with example values: run a test to see real ones">
                        example
                      </span>
                    ) : step.source === "run" ? (
                      <span className="shrink-0 rounded bg-emerald-50 px-1 text-emerald-800">last test run</span>
                    ) : null}
                  </p>
                  <Tree label={`steps.${step.id}`} path={`steps.${pathSegment(step.id)}`} value={step.output} onInsert={onInsert} depth={0} defaultOpen={1} />
                  {step.source === null ? <p className="px-1 text-slate-500">Its output is known after a test run.</p> : null}
                </div>
              ))}
              {upstream.length === 0 ? <p className="px-1 text-slate-500">Connect steps before this one to use their output.</p> : null}
            </Section>
            {loop ? (
              <Section title={`Each item of “${loop.name}”`} note="while this item runs">
                <Tree label="item" path="item" value="(the current item)" onInsert={onInsert} depth={0} defaultOpen={0} />
                <Tree label="itemIndex" path="itemIndex" value={0} onInsert={onInsert} depth={0} defaultOpen={0} />
              </Section>
            ) : null}
            <Section title="Run">
              <Tree label="run" path="run" value={data.context.run} onInsert={onInsert} depth={0} defaultOpen={0} />
            </Section>
          </>
        )}
      </div>
    </div>,
    document.body,
  );
}

function Section({ title, note, children }: { title: string; note?: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="mb-2">
      <h3 className="px-1 pb-0.5 text-[10px] font-semibold tracking-wide text-slate-500 uppercase">
        {title}
        {note ? <span className="ml-1 font-normal tracking-normal normal-case">· {note}</span> : null}
      </h3>
      {children}
    </section>
  );
}

function Tree({ label, path, value, onInsert, depth, defaultOpen }: { label: string; path: string; value: unknown; onInsert: (reference: string) => void; depth: number; defaultOpen: number }) {
  const [open, setOpen] = useState(depth < defaultOpen);
  const isArray = Array.isArray(value);
  const children = value && typeof value === "object" ? Object.entries(value as Record<string, unknown>).slice(0, MAX_CHILDREN) : [];
  // Objects and arrays open and close; only values are inserted by a click (whole objects by their own button).
  if (value && typeof value === "object") {
    return (
      <div className="pl-1">
        <div className="group flex items-center gap-1">
          <button type="button" aria-expanded={open} aria-label={`${open ? "Collapse" : "Expand"} ${path}`} onClick={() => setOpen(!open)} className="flex min-w-0 flex-1 items-center gap-1 rounded px-0.5 py-0.5 text-left hover:bg-slate-100">
            <ChevronRight className={`size-3 shrink-0 text-slate-400 transition-transform ${open ? "rotate-90" : ""}`} aria-hidden />
            <span className="truncate font-mono text-slate-800">{label}</span>
            <span className="shrink-0 text-slate-400">{isArray ? `[${(value as unknown[]).length}]` : children.length === 0 ? "{ }" : ""}</span>
          </button>
          <button type="button" onClick={() => onInsert(`{{ ${path} }}`)} aria-label={`Insert all of ${path}`} title={`Insert {{ ${path} }}`} className="shrink-0 rounded p-0.5 text-slate-300 group-hover:text-slate-500 hover:bg-brand-50 hover:text-brand-700">
            <CornerDownLeft className="size-3" aria-hidden />
          </button>
        </div>
        {open ? (
          <div className="ml-2 border-l border-slate-100">
            {children.map(([key, child]) => (
              <Tree key={key} label={isArray ? `[${key}]` : key} path={childPath(path, key, isArray)} value={child} onInsert={onInsert} depth={depth + 1} defaultOpen={defaultOpen} />
            ))}
          </div>
        ) : null}
      </div>
    );
  }
  return (
    <div className="pl-1">
      <button type="button" onClick={() => onInsert(`{{ ${path} }}`)} className="flex w-full min-w-0 items-center gap-1 rounded py-0.5 pr-1 pl-4 text-left hover:bg-brand-50" title={`Insert {{ ${path} }}`}>
        <span className="truncate font-mono text-slate-800">{label}</span>
        {value !== undefined ? <span className="ml-auto max-w-32 shrink-0 truncate pl-2 text-slate-400">{preview(value)}</span> : null}
      </button>
    </div>
  );
}

function preview(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return value === "" ? '""' : value;
  return String(value);
}

/** Every value (not object) under the roots whose path contains the query. */
function findLeaves(roots: { path: string; value: unknown }[], query: string): { path: string; value: unknown }[] {
  const found: { path: string; value: unknown }[] = [];
  const stack = [...roots].reverse();
  while (stack.length && found.length < MAX_MATCHES) {
    const { path, value } = stack.pop()!;
    if (value && typeof value === "object") {
      const isArray = Array.isArray(value);
      const entries = Object.entries(value as Record<string, unknown>).slice(0, MAX_CHILDREN);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ path: childPath(path, entries[i][0], isArray), value: entries[i][1] });
    } else if (value !== undefined && path.toLowerCase().includes(query)) found.push({ path, value });
  }
  return found;
}

/**
 * Beside the panel the field sits in (over the canvas), top aligned with the field and moved up as
 * far as needed to stay inside the viewport; below or above the field where there is no room beside it.
 */
function usePlacement(anchor: RefObject<HTMLElement | null>, dialog: RefObject<HTMLElement | null>): CSSProperties {
  const [style, setStyle] = useState<CSSProperties>({ top: 0, left: 0, width: WIDTH, visibility: "hidden" });
  useLayoutEffect(() => {
    function place() {
      const field = anchor.current?.getBoundingClientRect();
      if (!field) return;
      const viewport = { width: window.innerWidth, height: window.innerHeight };
      const width = Math.min(WIDTH, viewport.width - 2 * GAP);
      const maxHeight = Math.min(440, viewport.height - 2 * GAP);
      const height = Math.min(dialog.current?.scrollHeight ?? maxHeight, maxHeight);
      const panel = anchor.current?.closest("aside")?.getBoundingClientRect();
      const besideLeft = (panel?.left ?? field.left) - width - GAP;
      if (besideLeft >= GAP) {
        const top = Math.max(GAP, Math.min(field.top, viewport.height - height - GAP));
        setStyle({ top, left: besideLeft, width, maxHeight });
        return;
      }
      const left = Math.max(GAP, Math.min(field.left, viewport.width - width - GAP));
      const below = viewport.height - field.bottom - GAP;
      const above = field.top - GAP;
      if (below >= Math.min(height, 240) || below >= above) setStyle({ top: field.bottom + 4, left, width, maxHeight: Math.min(maxHeight, below - 4) });
      else setStyle({ top: Math.max(GAP, field.top - 4 - Math.min(height, above)), left, width, maxHeight: Math.min(maxHeight, above - 4) });
    }
    place();
    // Expanding a branch makes the picker taller: keep it inside the viewport.
    const observer = new ResizeObserver(place);
    if (dialog.current) observer.observe(dialog.current);
    window.addEventListener("resize", place);
    // The inspector scrolls under a fixed picker: follow the field.
    window.addEventListener("scroll", place, true);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", place);
      window.removeEventListener("scroll", place, true);
    };
  }, [anchor, dialog]);
  return style;
}

export function VariableButton({ onClick, expanded }: { onClick: () => void; expanded: boolean }) {
  return (
    <button type="button" onClick={onClick} aria-expanded={expanded} aria-haspopup="dialog" title="Insert a variable" aria-label="Insert a variable" className={`grid size-7 shrink-0 place-items-center rounded-md ring-1 ring-inset hover:bg-slate-50 hover:text-brand-600 ${expanded ? "bg-brand-50 text-brand-700 ring-brand-300" : "text-slate-500 ring-slate-300"}`}>
      <Braces className="size-3.5" aria-hidden />
    </button>
  );
}
