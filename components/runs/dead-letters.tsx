"use client";

import Link from "next/link";
import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { apiFetch } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { runListSchema } from "@/lib/runs/run-responses";

/** Runs that failed for good and were not dismissed: replay or dismiss them, one by one or in bulk. */
export function DeadLetters({ canWrite }: { canWrite: boolean }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const deadLetters = useApi("/api/v1/runs?status=failed&dismissed=false&limit=200", runListSchema);
  const runs = deadLetters.data?.runs ?? [];
  const loading = deadLetters.isLoading;
  const error = actionError ?? deadLetters.error?.message ?? null;

  function toggle(id: string) {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  async function bulk(action: "dismiss" | "replay") {
    const runIds = [...selected];
    setActionError(null);
    const result =
      action === "dismiss"
        ? await apiFetch("/api/v1/runs/dismiss", { method: "POST", body: { runIds } })
        : await apiFetch("/api/v1/runs/bulk-replay", { method: "POST", body: { runIds, mode: "failed-only" } });
    if (!result.ok) return setActionError(result.error.message);
    setNotice(action === "dismiss" ? `Dismissed ${runIds.length} run(s).` : `Started ${runIds.length} replay(s); they appear under Runs.`);
    setSelected(new Set());
    await deadLetters.mutate();
  }

  const allSelected = runs.length > 0 && selected.size === runs.length;
  return (
    <Card>
      {canWrite ? (
        <div className="flex items-center gap-2 border-b border-slate-200 px-5 py-3">
          <Button size="sm" onClick={() => bulk("replay")} disabled={selected.size === 0}>
            Replay failed part of {selected.size || ""} selected
          </Button>
          <Button size="sm" variant="secondary" onClick={() => bulk("dismiss")} disabled={selected.size === 0}>
            Dismiss selected
          </Button>
          {notice ? <span className="text-sm text-emerald-700">{notice}</span> : null}
        </div>
      ) : null}
      <ErrorAlert>{error}</ErrorAlert>
      <table className="w-full text-sm">
        <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            {canWrite ? (
              <th className="w-10 px-5 py-2">
                <input
                  type="checkbox"
                  aria-label="Select all"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(runs.map((r) => r.id)))}
                />
              </th>
            ) : null}
            <th className="px-5 py-2 font-medium">Run</th>
            <th className="px-5 py-2 font-medium">Flow</th>
            <th className="px-5 py-2 font-medium">Last error</th>
            <th className="px-5 py-2 font-medium">Failed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((run) => (
            <tr key={run.id} className="hover:bg-slate-50">
              {canWrite ? (
                <td className="px-5 py-2.5">
                  <input type="checkbox" aria-label={`Select ${run.id}`} checked={selected.has(run.id)} onChange={() => toggle(run.id)} />
                </td>
              ) : null}
              <td className="px-5 py-2.5">
                <Link href={`/runs/${run.id}`} className="font-mono text-xs text-brand-700 hover:underline">
                  {run.id}
                </Link>
              </td>
              <td className="px-5 py-2.5">{run.flowName}</td>
              <td className="max-w-md truncate px-5 py-2.5 text-red-700">{run.errorMessage ?? "—"}</td>
              <td className="px-5 py-2.5 text-slate-600">{new Date(run.createdAt).toLocaleString()}</td>
            </tr>
          ))}
          {!loading && runs.length === 0 ? (
            <tr>
              <td colSpan={5} className="px-5 py-12 text-center text-slate-500">
                No dead letters. Runs that fail after all retries show up here.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Card>
  );
}
