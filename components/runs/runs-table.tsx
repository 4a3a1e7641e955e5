"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FilterSelect } from "@/components/ui/filter-select";
import { Card } from "@/components/ui/card";
import { apiFetch } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { runListSchema, type RunListItem } from "@/lib/runs/run-responses";
import { formatDuration, IN_FLIGHT, RunStatusBadge } from "./run-status-badge";

const STATUS_FILTERS = ["", "queued", "running", "waiting", "succeeded", "failed", "cancelled", "skipped"];
const RANGES: Record<string, number | null> = { "": null, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };
const POLL_MS = 2000;

/** The API query for the filters in the URL: a time range becomes a `from` bound as of now. */
function apiQuery(filters: URLSearchParams): URLSearchParams {
  const q = new URLSearchParams(filters);
  q.delete("range");
  const range = RANGES[filters.get("range") ?? ""];
  if (range) q.set("from", new Date(Date.now() - range).toISOString());
  return q;
}

/** The run list with filters in the URL, cursor pagination, and live refresh of the first page. */
export function RunsTable({ flows }: { flows: { id: string; name: string }[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // Older pages the user asked for, with the rows shown at that moment; kept fresh by the first page's polls.
  const [extended, setExtended] = useState<{ key: string; runs: RunListItem[]; nextCursor: string | null } | null>(null);
  const [loadMoreError, setLoadMoreError] = useState<string | null>(null);

  const filters = new URLSearchParams();
  for (const key of ["flowId", "status", "q", "range"]) {
    const v = params.get(key);
    if (v) filters.set(key, v);
  }
  const key = `/api/v1/runs?${filters}`;
  const firstPage = useApi(key, runListSchema, {
    refreshInterval: POLL_MS,
    urlAtFetch: () => `/api/v1/runs?${apiQuery(filters)}`,
    onSuccess: (page) => {
      setLoadMoreError(null);
      // Keep the pages the user loaded; refresh the rows we already show and add new ones on top.
      setExtended((current) => {
        if (current?.key !== key) return current;
        const fresh = new Map(page.runs.map((r) => [r.id, r]));
        const merged = current.runs.map((r) => fresh.get(r.id) ?? r);
        const known = new Set(current.runs.map((r) => r.id));
        return { ...current, runs: [...page.runs.filter((r) => !known.has(r.id) && r.createdAt > (current.runs[0]?.createdAt ?? "")), ...merged] };
      });
    },
  });
  const more = extended?.key === key ? extended : null;
  const runs = more?.runs ?? firstPage.data?.runs ?? [];
  const nextCursor = more ? more.nextCursor : (firstPage.data?.nextCursor ?? null);
  const loading = firstPage.isLoading;
  const error = loadMoreError ?? firstPage.error?.message ?? null;

  async function loadMore() {
    if (!nextCursor) return;
    const q = apiQuery(filters);
    q.set("cursor", nextCursor);
    const result = await apiFetch(`/api/v1/runs?${q}`, { schema: runListSchema });
    if (!result.ok) return setLoadMoreError(result.error.message);
    setLoadMoreError(null);
    setExtended({ key, runs: [...runs, ...result.data.runs], nextCursor: result.data.nextCursor });
  }

  // Filters changed faster than the URL updates build on each other, not on the URL of the last render.
  const pendingFilters = useRef<{ from: URLSearchParams; next: URLSearchParams } | null>(null);
  function setFilter(key: string, value: string) {
    const next = new URLSearchParams(pendingFilters.current?.from === params ? pendingFilters.current.next : params);
    if (value) next.set(key, value);
    else next.delete(key);
    setExtended(null);
    setLoadMoreError(null);
    pendingFilters.current = { from: params, next };
    router.replace(`${pathname}?${next}`);
  }

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilter("q", String(new FormData(event.currentTarget).get("q") ?? "").trim());
  }

  return (
    <Card>
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-4 py-3 text-sm sm:px-5">
        <form onSubmit={onSearch} className="flex w-full items-center gap-2 sm:w-auto">
          <input
            type="search"
            name="q"
            aria-label="Search runs"
            defaultValue={params.get("q") ?? ""}
            placeholder="Run id, delivery id or payload text"
            className="min-w-0 flex-1 rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 sm:w-72 sm:flex-none"
          />
          <Button type="submit" variant="secondary" size="sm">
            Search
          </Button>
        </form>
        <FilterSelect aria-label="Flow" className="w-full sm:w-52" value={params.get("flowId") ?? ""} onChange={(e) => setFilter("flowId", e.target.value)}>
          <option value="">All flows</option>
          {flows.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect aria-label="Status" value={params.get("status") ?? ""} onChange={(e) => setFilter("status", e.target.value)}>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {s ? (s === "skipped" ? "skipped by filter" : s) : "Any status"}
            </option>
          ))}
        </FilterSelect>
        <FilterSelect aria-label="Time range" value={params.get("range") ?? ""} onChange={(e) => setFilter("range", e.target.value)}>
          <option value="">Any time</option>
          <option value="1h">Last hour</option>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
        </FilterSelect>
        <span className="ml-auto flex items-center gap-1.5 text-xs text-slate-500" title="The list refreshes every 2 seconds">
          <span className="size-2 animate-pulse rounded-full bg-emerald-500" aria-hidden /> Live
        </span>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {/* Narrow screens: one card per run. */}
      <ul aria-label="Runs" className="divide-y divide-slate-100 sm:hidden">
        {runs.map((run) => (
          <li key={run.id} data-run-card={run.id}>
            <Link href={`/runs/${run.id}`} className="block px-4 py-3 hover:bg-slate-50">
              <span className="flex items-center justify-between gap-2">
                <span className="min-w-0 truncate font-medium text-slate-900">{run.flowName}</span>
                <RunStatusBadge status={run.status} />
              </span>
              {run.payloadSummary ? <span className="mt-0.5 block truncate text-xs text-slate-600">{run.payloadSummary}</span> : null}
              {run.errorMessage ? <span className="mt-0.5 block truncate text-xs text-red-600">{run.errorMessage}</span> : null}
              <span className="mt-0.5 block text-xs text-slate-500">
                <time dateTime={run.createdAt}>{new Date(run.createdAt).toLocaleString()}</time> · {IN_FLIGHT.has(run.status) ? "running" : formatDuration(run.durationMs)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto sm:block">
        <table className="w-full text-sm">
          <thead className="text-left text-xs tracking-wide whitespace-nowrap text-slate-500 uppercase">
            <tr>
              <th className="py-2 pr-3 pl-5 font-medium">Run</th>
              <th className="px-3 py-2 font-medium">Flow</th>
              <th className="px-3 py-2 font-medium">Status</th>
              <th className="px-3 py-2 font-medium">Request</th>
              <th className="px-3 py-2 font-medium">Started</th>
              <th className="py-2 pr-5 pl-3 text-right font-medium">Duration</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {runs.map((run) => (
              <tr key={run.id} className="hover:bg-slate-50" data-run-id={run.id}>
                <td className="py-2.5 pr-3 pl-5">
                  <Link href={`/runs/${run.id}`} className="font-mono text-xs font-medium text-brand-700 hover:underline">
                    {run.id}
                  </Link>
                  {run.replayOfId ? <div className="text-xs text-slate-500">replay</div> : null}
                </td>
                <td className="px-3 py-2.5 whitespace-nowrap">
                  {/* One line, whatever the name's length: the full name is in the tooltip. */}
                  <span className="inline-block max-w-40 truncate align-bottom" title={run.flowName}>
                    {run.flowName}
                  </span>{" "}
                  <span className="text-xs text-slate-500">v{run.version}</span>
                </td>
                <td className="px-3 py-2.5">
                  <RunStatusBadge status={run.status} />
                  {run.errorMessage ? <div className="mt-0.5 max-w-56 truncate text-xs text-red-600" title={run.errorMessage}>{run.errorMessage}</div> : null}
                </td>
                <td className="px-3 py-2.5 text-xs text-slate-600">
                  <div className="max-w-56 truncate" title={run.payloadSummary ?? undefined} data-testid="payload-summary">
                    {run.payloadSummary ?? <span className="text-slate-400">{run.deliveryId ? "empty body" : "manual run"}</span>}
                  </div>
                </td>
                <td className="px-3 py-2.5 whitespace-nowrap text-slate-600">
                  <time dateTime={run.createdAt}>{new Date(run.createdAt).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" })}</time>
                </td>
                <td className="py-2.5 pr-5 pl-3 text-right whitespace-nowrap text-slate-600 tabular-nums">{IN_FLIGHT.has(run.status) ? "…" : formatDuration(run.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!loading && runs.length === 0 ? <p className="px-5 py-12 text-center text-sm text-slate-500">No runs match. Runs appear here as soon as a trigger receives a request.</p> : null}
      {loading ? <p className="px-5 py-12 text-center text-sm text-slate-400">Loading runs…</p> : null}
      {nextCursor ? (
        <div className="border-t border-slate-200 px-5 py-3 text-center">
          <Button variant="secondary" size="sm" onClick={loadMore}>
            Load older runs
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
