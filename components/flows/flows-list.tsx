"use client";

import { Copy, Download, Trash2, Workflow } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { apiFetch } from "@/lib/api/client";
import { flowSchema, type FlowListItem } from "@/lib/flows/flow-responses";
import { FlowStatusBadge } from "./flow-status-badge";
import { NewFlowButton } from "./new-flow-button";

const STATUSES = ["all", "active", "paused", "draft"] as const;

export function FlowsList({ flows, canWrite }: { flows: FlowListItem[]; canWrite: boolean }) {
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("all");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const router = useRouter();

  async function duplicate(flow: FlowListItem) {
    setPending(flow.id);
    setError(null);
    const result = await apiFetch(`/api/v1/flows/${flow.id}/duplicate`, { schema: flowSchema, method: "POST", body: {} });
    setPending(null);
    if (!result.ok) return setError(result.error.message);
    router.push(`/flows/${result.data.id}`);
  }

  async function remove(flow: FlowListItem) {
    if (!window.confirm(`Delete "${flow.name}", its versions and its run history? This cannot be undone.`)) return;
    setPending(flow.id);
    setError(null);
    const result = await apiFetch(`/api/v1/flows/${flow.id}`, { method: "DELETE" });
    setPending(null);
    if (!result.ok) return setError(result.error.message);
    router.refresh();
  }
  const visible = useMemo(
    () =>
      flows.filter(
        (f) => (status === "all" || f.status === status) && (!query || f.name.toLowerCase().includes(query.toLowerCase())),
      ),
    [flows, query, status],
  );

  if (flows.length === 0) {
    return (
      <Card className="px-6 py-16 text-center">
        <div className="mx-auto grid size-12 place-items-center rounded-full bg-brand-50 text-brand-600">
          <Workflow className="size-6" aria-hidden />
        </div>
        <h2 className="mt-4 text-lg font-semibold">{canWrite ? "Create your first flow" : "No flows yet"}</h2>
        <p className="mx-auto mt-1 max-w-md text-sm text-slate-500">
          A flow starts with a webhook trigger — a form submission, a payment, a content publish — and runs the steps you wire after it.
        </p>
        {canWrite ? (
          <div className="mt-6">
            <NewFlowButton align="center" />
          </div>
        ) : (
          <p className="mt-6 text-sm text-slate-500">You have read-only access to this workspace.</p>
        )}
      </Card>
    );
  }

  return (
    <Card>
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-5 py-3">
        <input
          type="search"
          aria-label="Search flows"
          placeholder="Search flows…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="w-64 rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500"
        />
        <div role="group" aria-label="Filter by status" className="flex gap-1">
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={status === s}
              onClick={() => setStatus(s)}
              className={`rounded-md px-2.5 py-1 text-xs font-medium capitalize ${status === s ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100"}`}
            >
              {s}
            </button>
          ))}
        </div>
      </div>
      {error ? (
        <div className="px-5 pt-3">
          <ErrorAlert>{error}</ErrorAlert>
        </div>
      ) : null}
      <table className="w-full text-sm">
        <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            <th className="px-5 py-2 font-medium">Name</th>
            <th className="px-5 py-2 font-medium">Status</th>
            <th className="px-5 py-2 font-medium">Version</th>
            <th className="px-5 py-2 font-medium">Updated</th>
            <th className="px-5 py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {visible.map((flow) => (
            <tr key={flow.id} className="hover:bg-slate-50">
              <td className="px-5 py-3">
                <Link href={`/flows/${flow.id}`} className="font-medium text-slate-900 hover:text-brand-600">
                  {flow.name}
                </Link>
                {flow.description ? <div className="truncate text-xs text-slate-500">{flow.description}</div> : null}
              </td>
              <td className="px-5 py-3">
                <FlowStatusBadge status={flow.status} />
              </td>
              <td className="px-5 py-3 text-slate-600">{flow.activeVersion ? `v${flow.activeVersion.version}` : "—"}</td>
              <td className="px-5 py-3 text-slate-600">
                <time dateTime={flow.updatedAt}>{new Date(flow.updatedAt).toLocaleString()}</time>
              </td>
              <td className="px-3 py-3">
                <div className="flex justify-end gap-0.5">
                  {canWrite ? (
                    <button type="button" onClick={() => void duplicate(flow)} disabled={pending !== null} aria-label={`Duplicate ${flow.name}`} title="Duplicate" className="rounded p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 disabled:opacity-40">
                      <Copy className="size-4" aria-hidden />
                    </button>
                  ) : null}
                  <a href={`/api/v1/flows/${flow.id}/export`} download aria-label="Export JSON" title={`Export ${flow.name} as JSON`} className="rounded p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800">
                    <Download className="size-4" aria-hidden />
                  </a>
                  {canWrite ? (
                    <button type="button" onClick={() => void remove(flow)} disabled={pending !== null} aria-label={`Delete ${flow.name}`} title="Delete" className="rounded p-1.5 text-slate-500 hover:bg-red-50 hover:text-red-600 disabled:opacity-40">
                      <Trash2 className="size-4" aria-hidden />
                    </button>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
          {visible.length === 0 ? (
            <tr>
              <td colSpan={5} className="px-5 py-8 text-center text-slate-500">
                No flows match.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Card>
  );
}
