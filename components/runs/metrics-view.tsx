"use client";

import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ErrorAlert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { FilterSelect } from "@/components/ui/filter-select";
import { useApi } from "@/lib/api/use-api";
import { runMetricsSchema } from "@/lib/runs/run-responses";
import { formatDuration } from "./run-status-badge";

const WINDOWS = [
  ["1h", "Last hour"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
] as const;

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card className="px-5 py-4">
      <div className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`metric-${label.toLowerCase().replace(/\W+/g, "-")}`}>
        {value}
      </div>
      {hint ? <div className="text-xs text-slate-500">{hint}</div> : null}
    </Card>
  );
}

export function MetricsView({ flows }: { flows: { id: string; name: string }[] }) {
  const [window, setWindow] = useState<string>("24h");
  const [flowId, setFlowId] = useState("");
  const q = new URLSearchParams({ window });
  if (flowId) q.set("flowId", flowId);
  // The previous window's figures stay on screen until the new ones arrive.
  const { data: metrics, error: loadError } = useApi(`/api/v1/metrics?${q}`, runMetricsSchema, { refreshInterval: 10_000, keepPreviousData: true });
  const error = loadError?.message ?? null;

  const bucketLabel = (iso: string) => {
    const d = new Date(iso);
    return window === "30d" ? d.toLocaleDateString() : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap gap-3">
        <FilterSelect aria-label="Window" value={window} onChange={(e) => setWindow(e.target.value)}>
          {WINDOWS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect aria-label="Flow" value={flowId} onChange={(e) => setFlowId(e.target.value)}>
          <option value="">All flows</option>
          {flows.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </FilterSelect>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {metrics ? (
        <>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
            <Stat label="Runs" value={metrics.runs.total.toLocaleString()} hint={`${metrics.runs.running} in flight`} />
            <Stat label="Success rate" value={metrics.runs.successRate === null ? "—" : `${(metrics.runs.successRate * 100).toFixed(1)}%`} hint={`${metrics.runs.failed} failed`} />
            <Stat label="p50 duration" value={formatDuration(metrics.durationMs.p50)} />
            <Stat label="p95 duration" value={formatDuration(metrics.durationMs.p95)} />
            <Stat
              label="Deliveries"
              value={(metrics.deliveries.accepted + metrics.deliveries.rejected + metrics.deliveries.duplicate).toLocaleString()}
              hint={`${metrics.deliveries.accepted} accepted · ${metrics.deliveries.rejected} rejected · ${metrics.deliveries.duplicate} duplicate`}
            />
          </div>
          <Card>
            <CardHeader title="Runs over time" />
            <div className="h-72 px-2 py-4">
              {metrics.series.length === 0 ? (
                <p className="py-20 text-center text-sm text-slate-500">No runs in this window.</p>
              ) : (
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={metrics.series.map((s) => ({ ...s, label: bucketLabel(s.bucket) }))}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="label" fontSize={11} />
                    <YAxis allowDecimals={false} fontSize={11} />
                    <Tooltip />
                    <Legend />
                    <Bar dataKey="succeeded" stackId="runs" fill="#10b981" name="Succeeded" />
                    <Bar dataKey="failed" stackId="runs" fill="#ef4444" name="Failed" />
                    <Bar dataKey="other" stackId="runs" fill="#94a3b8" name="Other" />
                  </BarChart>
                </ResponsiveContainer>
              )}
            </div>
          </Card>
          <Card>
            <CardHeader title="Failures by node" description="Which step ended the failed runs." />
            {metrics.failuresByNode.length === 0 ? (
              <p className="px-5 py-6 text-sm text-slate-500">No failures in this window.</p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {metrics.failuresByNode.map((f) => (
                  <li key={f.nodeId} className="flex justify-between px-5 py-2.5 text-sm">
                    <code>{f.nodeId}</code>
                    <span className="tabular-nums">{f.failures}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      ) : (
        <p className="text-sm text-slate-500">Loading metrics…</p>
      )}
    </div>
  );
}
