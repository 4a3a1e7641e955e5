"use client";

// Quick add: a searchable list of steps opened with "/" (or the "+" after an output). Arrow keys
// move, Enter adds; a step added after an output is connected to it.
import { useReactFlow } from "@xyflow/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { NODE_CATEGORY_LABELS } from "@/lib/nodes/node-definition";
import { useEditor } from "./editor-context";
import { NodeIcon } from "./node-icon";
import { searchDefinitions } from "./node-palette";

export function QuickAddDialog() {
  const request = useEditor((state) => state.quickAdd);
  const openQuickAdd = useEditor((state) => state.openQuickAdd);
  const addNode = useEditor((state) => state.addNode);
  const nodes = useEditor((state) => state.nodes);
  const { screenToFlowPosition, getNode } = useReactFlow();
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const results = useMemo(() => {
    const all = searchDefinitions(query);
    // After an output only actions make sense: triggers cannot have inputs.
    return request?.from ? all.filter((definition) => !definition.isTrigger) : all;
  }, [query, request?.from]);

  useEffect(() => {
    if (request) {
      if (!dialog.current?.open) dialog.current?.showModal();
    } else if (dialog.current?.open) dialog.current.close();
  }, [request]);

  function choose(kind: string) {
    if (!request) return;
    let position = request.position;
    if (!position && request.from) {
      const source = getNode(request.from.nodeId);
      const siblings = nodes.filter((node) => node.position.x > (source?.position.x ?? 0) + 200 && Math.abs(node.position.x - ((source?.position.x ?? 0) + 320)) < 40).length;
      position = source ? { x: source.position.x + 320, y: source.position.y + siblings * 110 } : undefined;
    }
    addNode(kind, snap(position ?? freeCentrePosition(screenToFlowPosition, nodes)), request.from);
    openQuickAdd(null);
    setQuery("");
    setActive(0);
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="quick-add-title"
      onClose={() => {
        openQuickAdd(null);
        setQuery("");
        setActive(0);
      }}
      className="m-auto mt-24 w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/30"
    >
      <div className="p-3">
        <h2 id="quick-add-title" className="sr-only">
          Add a step
        </h2>
        <input
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls="quick-add-results"
          aria-activedescendant={results[active] ? `quick-add-${results[active].kind}` : undefined}
          aria-label="Search steps to add"
          placeholder={request?.from ? "Add the next step…" : "Add a step…"}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown") {
              event.preventDefault();
              setActive((index) => Math.min(results.length - 1, index + 1));
            } else if (event.key === "ArrowUp") {
              event.preventDefault();
              setActive((index) => Math.max(0, index - 1));
            } else if (event.key === "Enter" && results[active]) {
              event.preventDefault();
              choose(results[active].kind);
            }
          }}
          className="w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500"
        />
      </div>
      <ul id="quick-add-results" role="listbox" aria-label="Steps" className="max-h-80 overflow-y-auto border-t border-slate-100 p-1">
        {results.map((definition, index) => (
          <li
            key={definition.kind}
            id={`quick-add-${definition.kind}`}
            role="option"
            aria-selected={index === active}
            onMouseEnter={() => setActive(index)}
            onClick={() => choose(definition.kind)}
            className={`flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-sm ${index === active ? "bg-brand-50 text-brand-700" : "text-slate-700"}`}
          >
            <NodeIcon name={definition.icon} />
            <span className="font-medium">{definition.title}</span>
            <span className="ml-auto text-xs text-slate-400">{NODE_CATEGORY_LABELS[definition.category]}</span>
          </li>
        ))}
        {results.length === 0 ? <li className="px-2 py-3 text-sm text-slate-500">No step matches.</li> : null}
      </ul>
    </dialog>
  );
}

export const GRID = 16;

/** The middle of the visible canvas, nudged so repeated adds do not stack exactly on each other. */
export function freeCentrePosition(screenToFlowPosition: (point: { x: number; y: number }) => { x: number; y: number }, nodes: readonly { position: { x: number; y: number } }[]) {
  const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
  const centre = pane ? screenToFlowPosition({ x: pane.left + pane.width / 2 - 120, y: pane.top + pane.height / 2 - 36 }) : { x: 0, y: 0 };
  let offset = 0;
  while (offset < 20 && nodes.some((node) => Math.abs(node.position.x - (centre.x + offset * 32)) < 24 && Math.abs(node.position.y - (centre.y + offset * 32)) < 24)) offset++;
  return { x: centre.x + offset * 32, y: centre.y + offset * 32 };
}

export function snap(position: { x: number; y: number }) {
  return { x: Math.round(position.x / GRID) * GRID, y: Math.round(position.y / GRID) * GRID };
}
