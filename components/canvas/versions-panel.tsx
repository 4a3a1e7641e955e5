"use client";

// Published versions, newest first, each restorable as the draft.
import { History, X } from "lucide-react";
import { useState } from "react";
import { apiFetch } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { flowSchema, flowVersionListSchema, type FlowVersionSummary } from "@/lib/flows/flow-responses";
import { useEditor, useEditorStoreApi } from "./editor-context";

/** The list's cache key: publishing revalidates it (swr's mutate), open or not. */
export const versionsPath = (flowId: string) => `/api/v1/flows/${flowId}/versions`;

export function VersionsPanel({ activeVersionId, onClose, beforeRestore }: { activeVersionId: string | null; onClose: () => void; beforeRestore: () => Promise<boolean> }) {
  const store = useEditorStoreApi();
  const flowId = useEditor((state) => state.flowId);
  const readOnly = useEditor((state) => state.readOnly);
  const list = useApi(versionsPath(flowId), flowVersionListSchema);
  const versions = list.data?.versions.filter((v) => v.version > 0) ?? null;
  const [restoreError, setError] = useState<string | null>(null);
  const error = restoreError ?? list.error?.message ?? null;

  async function restore(version: FlowVersionSummary) {
    if (!window.confirm(`Replace the current draft with version ${version.version}? You can undo this by restoring another version.`)) return;
    if (!(await beforeRestore())) return;
    const result = await apiFetch(`/api/v1/flows/${flowId}/versions/${version.id}/restore`, {
      schema: flowSchema,
      method: "POST",
      body: { revision: store.getState().revision },
    });
    if (!result.ok) return setError(result.error.message);
    store.getState().replaceGraph(result.data.graph, result.data.draftRevision);
    setError(null);
  }

  return (
    <aside aria-label="Versions" className="flex w-[22rem] shrink-0 flex-col border-l border-slate-200 bg-white">
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-3">
        <History className="size-4 text-slate-500" aria-hidden />
        <h2 className="flex-1 text-sm font-semibold">Version history</h2>
        <button type="button" onClick={onClose} aria-label="Close version history" className="rounded p-1 text-slate-400 hover:bg-slate-100">
          <X className="size-4" aria-hidden />
        </button>
      </div>
      {error ? (
        <p role="alert" className="px-4 py-2 text-xs text-red-600">
          {error}
        </p>
      ) : null}
      {versions === null ? <p className="px-4 py-3 text-xs text-slate-500">Loading…</p> : null}
      {versions?.length === 0 ? <p className="px-4 py-3 text-xs text-slate-500">Not published yet. Publishing freezes the draft into version 1.</p> : null}
      <ul className="flex-1 divide-y divide-slate-100 overflow-y-auto">
        {versions?.map((version) => (
          <li key={version.id} className="flex items-center gap-2 px-4 py-2.5 text-xs">
            <div className="min-w-0 flex-1">
              <div className="font-medium text-slate-900">
                v{version.version} {version.id === activeVersionId ? <span className="ml-1 text-emerald-700">live</span> : null}
              </div>
              <div className="truncate text-slate-500">
                <time dateTime={version.publishedAt}>{new Date(version.publishedAt).toLocaleString()}</time>
                {version.note ? ` · ${version.note}` : ""}
              </div>
            </div>
            {!readOnly ? (
              <button type="button" onClick={() => void restore(version)} className="rounded px-2 py-1 font-medium text-brand-600 ring-1 ring-slate-200 hover:bg-brand-50">
                Restore as draft
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
