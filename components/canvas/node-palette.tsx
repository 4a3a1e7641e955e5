"use client";

// Triggers and actions grouped by category, with search. Drag an item onto the canvas, or
// press it (click / Enter) to add it in the middle of the view.
import { Search } from "lucide-react";
import { useMemo, useState } from "react";
import { NODE_CATEGORY_LABELS, type NodeCategory, type NodeDefinition } from "@/lib/nodes/node-definition";
import { nodeDefinitions } from "@/lib/nodes/definitions";
import { NodeIcon } from "./node-icon";

export const NODE_DRAG_TYPE = "application/x-switchyard-node";

/** Steps matching every word of the query; title matches first, so "if" finds "If / else" before descriptions mentioning it. */
export function searchDefinitions(query: string): NodeDefinition[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const rank = (definition: NodeDefinition) => {
    const title = definition.title.toLowerCase();
    if (words.length && title.startsWith(words.join(" "))) return 0;
    if (words.every((word) => title.split(/[^a-z0-9]+/).some((part) => part.startsWith(word)))) return 1;
    return 2;
  };
  return Object.values(nodeDefinitions)
    .filter((definition) => {
      const haystack = `${definition.title} ${definition.description} ${definition.kind} ${NODE_CATEGORY_LABELS[definition.category]}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    })
    .map((definition, index) => ({ definition, index, rank: rank(definition) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.definition);
}

export function groupByCategory(definitions: NodeDefinition[]): [NodeCategory, NodeDefinition[]][] {
  const groups = new Map<NodeCategory, NodeDefinition[]>();
  for (const category of Object.keys(NODE_CATEGORY_LABELS) as NodeCategory[]) groups.set(category, []);
  for (const definition of definitions) groups.get(definition.category)?.push(definition);
  return [...groups.entries()].filter(([, items]) => items.length > 0);
}

export function NodePalette({ onAdd }: { onAdd: (kind: string) => void }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => groupByCategory(searchDefinitions(query)), [query]);

  return (
    <aside aria-label="Steps" className="flex w-64 shrink-0 flex-col border-r border-slate-200 bg-white">
      <div className="border-b border-slate-200 p-3">
        <label className="relative block">
          <span className="sr-only">Search steps</span>
          <Search className="pointer-events-none absolute top-2 left-2.5 size-4 text-slate-400" aria-hidden />
          <input
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder="Search steps…"
            className="w-full rounded-md border-0 py-1.5 pr-2 pl-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500"
          />
        </label>
        <p className="mt-2 text-[11px] leading-snug text-slate-500">Drag a step onto the canvas, or press it to add it.</p>
      </div>
      <div className="flex-1 overflow-y-auto p-2">
        {groups.length === 0 ? <p className="p-3 text-sm text-slate-500">No step matches “{query}”.</p> : null}
        {groups.map(([category, items]) => (
          <section key={category} aria-label={NODE_CATEGORY_LABELS[category]} className="mb-3">
            <h3 className="px-2 pb-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase">{NODE_CATEGORY_LABELS[category]}</h3>
            <ul>
              {items.map((definition) => (
                <li key={definition.kind}>
                  <button
                    type="button"
                    draggable
                    onDragStart={(event) => {
                      event.dataTransfer.setData(NODE_DRAG_TYPE, definition.kind);
                      event.dataTransfer.effectAllowed = "move";
                    }}
                    onClick={() => onAdd(definition.kind)}
                    title={definition.description}
                    aria-label={`Add ${definition.title}`}
                    className="flex w-full cursor-grab items-center gap-2 rounded-md px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600 active:cursor-grabbing"
                  >
                    <span className="grid size-6 shrink-0 place-items-center rounded bg-slate-100 text-slate-600">
                      <NodeIcon name={definition.icon} className="size-3.5" />
                    </span>
                    {/* Whole titles, on two lines if they must: a cut "Microsoft Teams mess…" hides what it is. */}
                    <span className="min-w-0 leading-snug">{definition.title}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </aside>
  );
}
