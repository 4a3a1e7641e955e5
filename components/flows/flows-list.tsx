"use client";

import { Workflow } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Card } from "@/components/ui/card";
import { FlowStatusBadge } from "./flow-status-badge";
import { NewFlowButton } from "./new-flow-button";

export interface FlowRow {
  id: string;
  name: string;
  description: string;
  status: "draft" | "active" | "paused";
  version: number | null;
  updatedAt: string;
}

const STATUSES = ["all", "active", "paused", "draft"] as const;

export function FlowsList({ flows, canWrite }: { flows: FlowRow[]; canWrite: boolean }) {
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("all");
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
            <NewFlowButton />
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
      <table className="w-full text-sm">
        <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            <th className="px-5 py-2 font-medium">Name</th>
            <th className="px-5 py-2 font-medium">Status</th>
            <th className="px-5 py-2 font-medium">Version</th>
            <th className="px-5 py-2 font-medium">Updated</th>
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
              <td className="px-5 py-3 text-slate-600">{flow.version ? `v${flow.version}` : "—"}</td>
              <td className="px-5 py-3 text-slate-600">
                <time dateTime={flow.updatedAt}>{new Date(flow.updatedAt).toLocaleString()}</time>
              </td>
            </tr>
          ))}
          {visible.length === 0 ? (
            <tr>
              <td colSpan={4} className="px-5 py-8 text-center text-slate-500">
                No flows match.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Card>
  );
}
