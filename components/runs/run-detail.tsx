"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { apiFetch } from "@/lib/api/client";
import { JsonView } from "./json-view";
import { RunGraph, type NodeRunState, type RunGraphNode } from "./run-graph";
import { formatDuration, IN_FLIGHT, RunStatusBadge } from "./run-status-badge";
import { ReplayDialog } from "./replay-dialog";

export interface RunStepView {
  id: string;
  nodeId: string;
  nodeKind: string;
  attempt: number;
  status: string;
  input: unknown;
  output: unknown;
  error: { message?: string; code?: string; status?: number; body?: unknown } | null;
  truncated: boolean;
  /** Paths expressions read that were missing (lib/expressions/missing-path.ts). */
  warnings: { field?: string; path: string; message: string }[] | null;
  nextRetryAt: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  reusedFromRunId: string | null;
}

export interface RunView {
  id: string;
  flowId: string;
  flowName: string;
  version: number;
  status: string;
  deliveryId: string | null;
  isTest: boolean;
  replayOfId: string | null;
  replayMode: string | null;
  errorMessage: string | null;
  error: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  graph: { nodes: RunGraphNode[]; edges: { id: string; source: string; target: string; sourcePort?: string }[] };
  triggerPayload: { method?: string; headers?: Record<string, string>; query?: unknown; body?: unknown; receivedAt?: string } | null;
  output: unknown;
  steps: RunStepView[];
}

const POLL_MS = 1500;

export function RunDetail({ initial, canWrite }: { initial: RunView; canWrite: boolean }) {
  const router = useRouter();
  const [run, setRun] = useState(initial);
  const [selected, setSelected] = useState<string | null>(() => initial.steps.find((s) => s.status === "failed")?.nodeId ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [replayOpen, setReplayOpen] = useState(false);

  const refresh = useCallback(async () => {
    const result = await apiFetch<RunView>(`/api/v1/runs/${run.id}`);
    if (result.ok) setRun(result.data);
  }, [run.id]);

  const inFlight = IN_FLIGHT.has(run.status);
  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [inFlight, refresh]);

  // The latest attempt decides a node's colour; attempts are counted for the badge.
  const states = useMemo(() => {
    const byNode: Record<string, NodeRunState> = {};
    for (const step of run.steps) {
      const prev = byNode[step.nodeId];
      byNode[step.nodeId] = { status: step.status, durationMs: step.durationMs, attempts: Math.max(prev?.attempts ?? 0, step.attempt) };
    }
    return byNode;
  }, [run.steps]);

  const waitingApproval = run.steps.find((s) => s.status === "waiting" && s.nodeKind === "approval");

  async function act(action: "cancel" | "approve" | "reject") {
    setBusy(action);
    setError(null);
    const result =
      action === "cancel"
        ? await apiFetch(`/api/v1/runs/${run.id}/cancel`, { method: "POST", body: {} })
        : await apiFetch(`/api/v1/runs/${run.id}/approval`, { method: "POST", body: { nodeId: waitingApproval?.nodeId, decision: action } });
    setBusy(null);
    if (!result.ok) return setError(result.error.message);
    await refresh();
  }

  const selectedSteps = run.steps.filter((s) => s.nodeId === selected);
  const selectedNode = run.graph.nodes.find((n) => n.id === selected);

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/runs" className="hover:text-slate-800">
          Runs
        </Link>{" "}
        / <span className="font-mono text-slate-800">{run.id}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">
              <Link href={`/flows/${run.flowId}`} className="hover:text-brand-700">
                {run.flowName}
              </Link>{" "}
              <span className="text-base font-normal text-slate-500">v{run.version}</span>
            </h1>
            <RunStatusBadge status={run.status} />
            {run.isTest ? <span className="text-xs text-slate-500">test run</span> : null}
          </div>
          <p className="mt-1 text-sm text-slate-500">
            Started <time dateTime={run.createdAt}>{new Date(run.createdAt).toLocaleString()}</time> · {inFlight ? "in progress" : formatDuration(run.durationMs)}
            {run.deliveryId ? ` · delivery ${run.deliveryId}` : ""}
            {run.replayOfId ? (
              <>
                {" · "}
                {run.replayMode === "failed-only" ? "retry of failed steps of " : "replay of "}
                <Link href={`/runs/${run.replayOfId}`} className="font-mono text-brand-700 hover:underline">
                  {run.replayOfId}
                </Link>
              </>
            ) : null}
          </p>
        </div>
        {canWrite ? (
          <div className="flex gap-2">
            {waitingApproval ? (
              <>
                <Button onClick={() => act("approve")} disabled={busy !== null}>
                  Approve
                </Button>
                <Button variant="secondary" onClick={() => act("reject")} disabled={busy !== null}>
                  Reject
                </Button>
              </>
            ) : null}
            {inFlight ? (
              <Button variant="danger" onClick={() => act("cancel")} disabled={busy !== null}>
                {busy === "cancel" ? "Cancelling…" : "Cancel run"}
              </Button>
            ) : (
              <Button variant="secondary" onClick={() => setReplayOpen(true)}>
                Replay…
              </Button>
            )}
          </div>
        ) : null}
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {run.errorMessage ? (
        <div role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200">
          <strong>Run failed:</strong> {run.errorMessage}
        </div>
      ) : null}

      <RunGraph nodes={run.graph.nodes} edges={run.graph.edges} states={states} selectedNodeId={selected} onSelect={setSelected} />

      <div className="grid gap-6 lg:grid-cols-5">
        <Card className="lg:col-span-2">
          <CardHeader title="Steps" description="Every attempt of every node, in order." />
          <ol className="divide-y divide-slate-100">
            {run.steps.map((step) => (
              <li key={step.id}>
                <button
                  type="button"
                  onClick={() => setSelected(step.nodeId)}
                  aria-current={selected === step.nodeId ? "true" : undefined}
                  className={`flex w-full items-center justify-between gap-3 px-5 py-2.5 text-left text-sm hover:bg-slate-50 ${selected === step.nodeId ? "bg-brand-50" : ""}`}
                >
                  <span className="min-w-0">
                    <span className="block truncate font-medium">{run.graph.nodes.find((n) => n.id === step.nodeId)?.name || step.nodeId}</span>
                    <span className="text-xs text-slate-500">
                      attempt {step.attempt}
                      {step.reusedFromRunId ? " · reused" : ""}
                      {step.nextRetryAt && step.status === "failed" ? ` · retry at ${new Date(step.nextRetryAt).toLocaleTimeString()}` : ""}
                    </span>
                  </span>
                  <span className="flex shrink-0 items-center gap-2">
                    <span className="text-xs text-slate-500 tabular-nums">{formatDuration(step.durationMs)}</span>
                    <RunStatusBadge status={step.status} />
                  </span>
                </button>
              </li>
            ))}
            {run.steps.length === 0 ? <li className="px-5 py-6 text-sm text-slate-500">No step has started yet.</li> : null}
          </ol>
        </Card>
        <Card className="lg:col-span-3">
          {selectedNode ? (
            <>
              <CardHeader title={selectedNode.name || selectedNode.id} description={`${selectedNode.kind} · ${selectedSteps.length} attempt(s)`} />
              <div className="space-y-4 p-5">
                {selectedSteps.map((step) => (
                  <div key={step.id} className="space-y-2">
                    <div className="flex items-center justify-between text-xs text-slate-500">
                      <span>
                        Attempt {step.attempt} · {new Date(step.startedAt).toLocaleTimeString()}
                        {step.truncated ? " · values truncated" : ""}
                      </span>
                      <RunStatusBadge status={step.status} />
                    </div>
                    {step.error ? (
                      <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
                        {step.error.message}
                        {step.error.status ? <span className="ml-1 font-mono text-xs">(HTTP {step.error.status})</span> : null}
                      </div>
                    ) : null}
                    {step.warnings?.length ? (
                      <ul aria-label="Empty values" className="space-y-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
                        {step.warnings.map((warning, index) => (
                          <li key={index}>
                            {warning.field ? <span className="font-mono text-xs">{warning.field}: </span> : null}
                            {warning.message}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    <JsonView label="Input" value={step.input} defaultOpen={false} />
                    <JsonView label="Output" value={step.output} />
                    {step.error ? <JsonView label="Error (with the response body)" value={step.error} /> : null}
                  </div>
                ))}
                {selectedSteps.length === 0 ? <p className="text-sm text-slate-500">This node did not run.</p> : null}
              </div>
            </>
          ) : (
            <>
              <CardHeader title="Trigger request" description="What arrived, with secrets redacted. Select a node to see its step." />
              <div className="space-y-3 p-5">
                <p className="font-mono text-xs text-slate-600">
                  {run.triggerPayload?.method ?? "—"} · received {run.triggerPayload?.receivedAt ? new Date(run.triggerPayload.receivedAt).toLocaleString() : "—"}
                </p>
                <JsonView label="Headers" value={run.triggerPayload?.headers} defaultOpen={false} />
                <JsonView label="Query" value={run.triggerPayload?.query} defaultOpen={false} />
                <JsonView label="Body" value={run.triggerPayload?.body} />
                {run.output !== null && run.output !== undefined ? <JsonView label="Run output" value={run.output} /> : null}
              </div>
            </>
          )}
        </Card>
      </div>
      {replayOpen ? (
        <ReplayDialog
          runId={run.id}
          failed={run.status === "failed"}
          onClose={() => setReplayOpen(false)}
          onReplayed={(id) => router.push(`/runs/${id}`)}
        />
      ) : null}
    </div>
  );
}
