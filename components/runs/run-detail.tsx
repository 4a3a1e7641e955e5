"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { apiFetch } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { fieldPathLabel } from "@/lib/flows/node-config-schema";
import { stepLabels } from "@/lib/flows/step-labels";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { enclosingLoops } from "@/lib/flows/loop-bodies";
import { HANDLED_LABELS } from "@/lib/nodes/shared/error-handling";
import { countdown, describeAttempts, groupAttempts, type AttemptGroup } from "@/lib/runs/group-attempts";
import { describeItems, itemsStatus, loopItemCount, summarizeItems, type ItemsSummary } from "@/lib/runs/summarize-items";
import { runWithStepsSchema, type RunStep, type RunWithSteps, type StepError } from "@/lib/runs/run-responses";
import { JsonView } from "./json-view";
import { RunGraph, type NodeRunState } from "./run-graph";
import { formatDuration, IN_FLIGHT, RunStatusBadge } from "./run-status-badge";
import { ReplayDialog } from "./replay-dialog";

const POLL_MS = 1500;

export function RunDetail({ initial, canWrite }: { initial: RunWithSteps; canWrite: boolean }) {
  const router = useRouter();
  // The page rendered `initial`; poll while the run is in flight, revalidate after an action.
  const { data: run = initial, mutate } = useApi(`/api/v1/runs/${initial.id}`, runWithStepsSchema, {
    fallbackData: initial,
    revalidateOnMount: false,
    refreshInterval: (latest) => (IN_FLIGHT.has((latest ?? initial).status) ? POLL_MS : 0),
  });
  const [selected, setSelected] = useState<string | null>(() => initial.steps.find((s) => s.status === "failed")?.nodeId ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [replayOpen, setReplayOpen] = useState(false);

  const inFlight = IN_FLIGHT.has(run.status);

  const labels = useMemo(() => stepLabels(run.graph.nodes), [run.graph.nodes]);
  // Identical repeated attempts are one entry; a failed attempt with a retry to come is "retrying".
  // Rows of a loop's items are summarized per node instead (itemSummaries).
  const groups = useMemo(() => groupAttempts(run.steps.filter((step) => step.itemIndex === null), inFlight), [run.steps, inFlight]);
  const itemSummaries = useMemo(() => summarizeLoops(run, inFlight), [run, inFlight]);
  const now = useNow(groups.some((group) => group.retryAt !== null) || [...itemSummaries.values()].some((entry) => entry.summary.counts.retrying));

  // The latest attempt decides a node's colour; attempts are counted for the badge. A node of an
  // item branch shows its items' counts.
  const states = useMemo(() => {
    const byNode: Record<string, NodeRunState> = {};
    for (const group of groups) {
      const last = group.attempts[group.attempts.length - 1];
      byNode[group.nodeId] = {
        status: group.status,
        durationMs: last.durationMs,
        attempts: Math.max(byNode[group.nodeId]?.attempts ?? 0, last.attempt),
        handled: last.status === "failed" && Boolean(last.error?.handled),
      };
    }
    for (const [nodeId, { summary, isLoop }] of itemSummaries) {
      const items = { total: summary.total, succeeded: summary.counts.succeeded ?? 0, failed: summary.counts.failed ?? 0 };
      byNode[nodeId] = isLoop && byNode[nodeId] ? { ...byNode[nodeId], items } : { status: itemsStatus(summary), durationMs: null, attempts: 0, items };
    }
    return byNode;
  }, [groups, itemSummaries]);

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
    await mutate();
  }

  const selectedGroups = groups.filter((group) => group.nodeId === selected);
  const selectedAttempts = run.steps.filter((step) => step.nodeId === selected).length;
  const selectedItems = selected ? itemSummaries.get(selected) : undefined;
  const selectedNode = run.graph.nodes.find((n) => n.id === selected);
  const failedAt = (run.error as { nodeId?: string } | null)?.nodeId;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/runs" className="hover:text-slate-800">
          Runs
        </Link>{" "}
        / <span className="font-mono break-all text-slate-800">{run.id}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <h1 className="text-xl font-semibold tracking-tight break-words sm:text-2xl">
              <Link href={`/flows/${run.flowId}`} className="hover:text-brand-700">
                {run.flowName}
              </Link>{" "}
              <span className="text-base font-normal text-slate-500">{run.version > 0 ? `v${run.version}` : "draft"}</span>
            </h1>
            <RunStatusBadge status={run.status} />
            {run.isTest ? <span className="text-xs text-slate-500">test run</span> : null}
          </div>
          <p className="mt-1 text-sm break-words text-slate-500">
            Started <time dateTime={run.createdAt}>{new Date(run.createdAt).toLocaleString()}</time> · {inFlight ? "in progress" : formatDuration(run.durationMs)}
            {run.deliveryId ? ` · delivery ${run.deliveryId}` : ""}
            {run.parent ? (
              <>
                {" · called by "}
                <Link href={`/runs/${run.parent.runId}`} className="text-brand-700 hover:underline">
                  {run.parent.flowName ?? "a flow"} (run <span className="font-mono">{run.parent.runId}</span>)
                </Link>
              </>
            ) : null}
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
          {failedAt && labels[failedAt] ? (
            <>
              {/* The stored message starts with the node id; the step's name says it better. */}
              <strong>Run failed at “{labels[failedAt]}”:</strong> {run.errorMessage.replace(`Node "${failedAt}" failed: `, "")}
            </>
          ) : (
            <>
              <strong>Run failed:</strong> {run.errorMessage}
            </>
          )}
        </div>
      ) : null}

      <RunGraph nodes={run.graph.nodes} edges={run.graph.edges} labels={labels} states={states} selectedNodeId={selected} onSelect={setSelected} />

      <div className="grid gap-6 lg:grid-cols-5">
        <Card className="min-w-0 lg:col-span-2">
          <CardHeader title="Steps" description="In order; attempts that ended the same way are shown once." />
          <ol className="divide-y divide-slate-100" aria-label="Steps">
            {groups.map((group) => {
              const last = group.attempts[group.attempts.length - 1];
              return (
                <li key={last.id}>
                  <button
                    type="button"
                    onClick={() => setSelected(group.nodeId)}
                    aria-current={selected === group.nodeId ? "true" : undefined}
                    className={`flex w-full items-center justify-between gap-3 px-4 py-2.5 text-left text-sm hover:bg-slate-50 sm:px-5 ${selected === group.nodeId ? "bg-brand-50" : ""}`}
                  >
                    <span className="min-w-0">
                      <span className="block truncate font-medium">{labels[group.nodeId] ?? group.nodeId}</span>
                      <span className="block truncate text-xs text-slate-500">
                        {itemSummaries.get(group.nodeId)?.isLoop ? `${describeItems(itemSummaries.get(group.nodeId)!.summary)} · ` : ""}
                        {describeAttempts(group.attempts)}
                        {group.attempts.length > 1 && group.status !== "succeeded" ? ", same outcome" : ""}
                        {last.reusedFromRunId ? " · reused" : ""}
                        {last.status === "failed" && last.error?.handled ? ` · ${HANDLED_LABELS[last.error.handled]}` : ""}
                        {group.retryAt ? ` · retrying at ${new Date(group.retryAt).toLocaleTimeString()} (${countdown(group.retryAt, now)})` : ""}
                      </span>
                    </span>
                    <span className="flex shrink-0 items-center gap-2">
                      {group.status !== "retrying" ? <span className="text-xs text-slate-500 tabular-nums">{formatDuration(last.durationMs)}</span> : null}
                      <RunStatusBadge status={group.status} step />
                    </span>
                  </button>
                  {itemSummaries.get(group.nodeId)?.isLoop ? (
                    <ol aria-label={`Each item of ${labels[group.nodeId] ?? group.nodeId}`} className="border-l-2 border-slate-200 ml-5">
                      {itemSummaries.get(group.nodeId)!.bodyNodeIds.map((bodyId) => {
                        const entry = itemSummaries.get(bodyId);
                        if (!entry) return null;
                        const status = itemsStatus(entry.summary);
                        return (
                          <li key={bodyId}>
                            <button
                              type="button"
                              onClick={() => setSelected(bodyId)}
                              aria-current={selected === bodyId ? "true" : undefined}
                              className={`flex w-full items-center justify-between gap-3 py-2 pr-4 pl-3 text-left text-sm hover:bg-slate-50 sm:pr-5 ${selected === bodyId ? "bg-brand-50" : ""}`}
                            >
                              <span className="min-w-0">
                                <span className="block truncate font-medium">{labels[bodyId] ?? bodyId}</span>
                                <span className="block truncate text-xs text-slate-500">{describeItems(entry.summary)}</span>
                              </span>
                              <RunStatusBadge status={status} step />
                            </button>
                          </li>
                        );
                      })}
                    </ol>
                  ) : null}
                </li>
              );
            })}
            {run.steps.length === 0 ? <li className="px-5 py-6 text-sm text-slate-500">No step has started yet.</li> : null}
          </ol>
        </Card>
        <Card className="min-w-0 lg:col-span-3">
          {selectedNode ? (
            <>
              <CardHeader
                title={labels[selectedNode.id] ?? selectedNode.id}
                description={`${getNodeDefinition(selectedNode.kind)?.title ?? selectedNode.kind} · ${selectedAttempts} attempt${selectedAttempts === 1 ? "" : "s"}`}
              />
              <div className="space-y-5 p-4 sm:p-5">
                {run.childRuns
                  // Inside a loop the calling step is "<node>:item:<i>".
                  .filter((child) => child.nodeId === selectedNode.id || child.nodeId?.startsWith(`${selectedNode.id}:item:`))
                  .map((child) => (
                    <p key={child.runId} className="flex flex-wrap items-center gap-2 text-sm">
                      <span className="text-slate-600">Called flow:</span>
                      <Link href={`/runs/${child.runId}`} className="text-brand-700 hover:underline">
                        {child.flowName} (run <span className="font-mono">{child.runId}</span>)
                      </Link>
                      <RunStatusBadge status={child.status} />
                    </p>
                  ))}
                {selectedGroups.map((group) => (
                  <AttemptGroupView key={group.attempts[0].id} group={group} kind={selectedNode.kind} now={now} />
                ))}
                {selectedItems ? <ItemsView summary={selectedItems.summary} labels={labels} kinds={kindsOf(run)} showNodes={selectedItems.isLoop} now={now} /> : null}
                {selectedGroups.length === 0 && !selectedItems ? <p className="text-sm text-slate-500">This step did not run.</p> : null}
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

interface LoopEntry {
  summary: ItemsSummary<RunStep>;
  /** The loop node itself (its summary covers every node of its item branch), or one node of an item branch. */
  isLoop: boolean;
  /** For a loop: the nodes of its item branch that have rows, in graph order. */
  bodyNodeIds: string[];
}

/** Item summaries per loop node and per node of an item branch. */
function summarizeLoops(run: RunWithSteps, inFlight: boolean): Map<string, LoopEntry> {
  const itemRows = run.steps.filter((step) => step.itemIndex !== null);
  const entries = new Map<string, LoopEntry>();
  if (itemRows.length === 0 && !run.graph.nodes.some((node) => getNodeDefinition(node.kind)?.loop)) return entries;
  const enclosing = enclosingLoops({ nodes: run.graph.nodes, edges: run.graph.edges.map((edge) => ({ ...edge, sourcePort: edge.sourcePort ?? "out" })) });
  for (const loop of run.graph.nodes.filter((node) => getNodeDefinition(node.kind)?.loop)) {
    const total = loopItemCount(run.steps.find((step) => step.nodeId === loop.id && step.itemIndex === null && step.status !== "skipped"));
    const bodyNodeIds = run.graph.nodes.filter((node) => enclosing.get(node.id) === loop.id && itemRows.some((step) => step.nodeId === node.id)).map((node) => node.id);
    if (total === undefined && bodyNodeIds.length === 0) continue;
    entries.set(loop.id, { summary: summarizeItems(itemRows.filter((step) => enclosing.get(step.nodeId) === loop.id), inFlight, total), isLoop: true, bodyNodeIds });
    for (const id of bodyNodeIds) entries.set(id, { summary: summarizeItems(itemRows.filter((step) => step.nodeId === id), inFlight, total), isLoop: false, bodyNodeIds: [] });
  }
  return entries;
}

function kindsOf(run: RunWithSteps): Record<string, string> {
  return Object.fromEntries(run.graph.nodes.map((node) => [node.id, node.kind]));
}

const ITEMS_PAGE = 50;

/** A loop's items, each expandable to its steps' attempts; failed ones on request only. */
function ItemsView({ summary, labels, kinds, showNodes, now }: { summary: ItemsSummary<RunStep>; labels: Record<string, string>; kinds: Record<string, string>; showNodes: boolean; now: number }) {
  const [onlyFailed, setOnlyFailed] = useState(false);
  const [shown, setShown] = useState(ITEMS_PAGE);
  const items = onlyFailed ? summary.items.filter((item) => item.status === "failed") : summary.items;
  return (
    <section aria-label="Items" className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-medium text-slate-800" data-testid="items-summary">
          {describeItems(summary)}
        </h3>
        {summary.counts.failed ? (
          <label className="flex items-center gap-1.5 text-xs text-slate-600">
            <input type="checkbox" checked={onlyFailed} onChange={(event) => setOnlyFailed(event.target.checked)} />
            Only failed items
          </label>
        ) : null}
      </div>
      <ol className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200" aria-label="Each item">
        {items.slice(0, shown).map((item) => (
          <li key={item.index}>
            <details>
              <summary className="flex cursor-pointer items-center justify-between gap-3 px-3 py-1.5 text-sm select-none hover:bg-slate-50">
                <span>Item {item.index}</span>
                <RunStatusBadge status={item.status} step />
              </summary>
              <div className="space-y-4 border-t border-slate-100 px-3 py-3">
                {item.groups.map((group) => (
                  <div key={group.attempts[0].id} className="space-y-1">
                    {showNodes ? <p className="text-xs font-semibold text-slate-700">{labels[group.nodeId] ?? group.nodeId}</p> : null}
                    <AttemptGroupView group={group} kind={kinds[group.nodeId] ?? ""} now={now} />
                  </div>
                ))}
              </div>
            </details>
          </li>
        ))}
        {items.length === 0 ? <li className="px-3 py-2 text-sm text-slate-500">No item has started yet.</li> : null}
      </ol>
      {items.length > shown ? (
        <Button variant="secondary" onClick={() => setShown(shown + ITEMS_PAGE)}>
          Show {Math.min(ITEMS_PAGE, items.length - shown)} more of {items.length - shown}
        </Button>
      ) : null}
    </section>
  );
}

/** Ticks every second while something counts down. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** One or more attempts of a step that ended the same way: shown once, each attempt's time on request. */
function AttemptGroupView({ group, kind, now }: { group: AttemptGroup<RunStep>; kind: string; now: number }) {
  const last = group.attempts[group.attempts.length - 1];
  const retrying = group.retryAt !== null;
  return (
    <section aria-label={describeAttempts(group.attempts)} className="space-y-2">
      <div className="flex items-center justify-between gap-3 text-xs text-slate-500">
        <span>
          <span className="font-medium text-slate-700">{describeAttempts(group.attempts).replace(/^a/, "A")}</span>
          {group.attempts.length > 1 ? (group.status === "succeeded" ? "" : ` ended the same way`) : ` · ${new Date(last.startedAt).toLocaleTimeString()}`}
          {last.truncated ? " · values truncated" : ""}
        </span>
        <RunStatusBadge status={group.status} step />
      </div>
      {retrying ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          Retrying at <time dateTime={group.retryAt!}>{new Date(group.retryAt!).toLocaleTimeString()}</time> ({countdown(group.retryAt!, now)}).
        </p>
      ) : null}
      {last.error ? <StepError error={last.error} tone={retrying ? "amber" : "red"} /> : null}
      {last.warnings?.length ? (
        <ul aria-label="Empty values" className="space-y-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          {last.warnings.map((warning, index) => (
            <li key={index}>
              {warning.field ? <span className="font-medium">{fieldPathLabel(kind, warning.field)}: </span> : null}
              {warning.message}
            </li>
          ))}
        </ul>
      ) : null}
      {last.logs?.length ? <ConsoleLines lines={last.logs} /> : null}
      {group.attempts.length > 1 ? (
        <details className="text-xs text-slate-600">
          <summary className="cursor-pointer select-none">Each attempt ({group.attempts.length})</summary>
          <ul className="mt-1 space-y-0.5 pl-4">
            {group.attempts.map((step) => (
              <li key={step.id} className="tabular-nums">
                Attempt {step.attempt} · {new Date(step.startedAt).toLocaleTimeString()} · {formatDuration(step.durationMs)}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <JsonView label="Input" value={last.input} defaultOpen={false} />
      {last.status !== "failed" ? <JsonView label="Output" value={last.output} /> : null}
    </section>
  );
}

/** A step's error as a person reads it: the message, its code and HTTP status; the response body on request (the API never serves a stack). */
function StepError({ error, tone }: { error: StepError; tone: "red" | "amber" }) {
  const colors = tone === "red" ? "bg-red-50 text-red-900 ring-red-200" : "bg-amber-50 text-amber-900 ring-amber-200";
  const hasDetails = error.body !== undefined;
  return (
    <div role="group" aria-label="Error" className={`rounded-md px-3 py-2 ring-1 ${colors}`}>
      {error.handled ? (
        <p className="mb-0.5 text-xs font-semibold tracking-wide uppercase" data-testid="handled-error">
          {HANDLED_LABELS[error.handled]}
        </p>
      ) : null}
      <p className="text-sm font-medium break-words">{error.message ?? "The step failed."}</p>
      {error.code !== undefined || error.status !== undefined ? (
        <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs">
          {error.code !== undefined ? (
            <div className="flex gap-1">
              <dt className="opacity-70">Code</dt>
              <dd className="font-mono">{String(error.code)}</dd>
            </div>
          ) : null}
          {error.status !== undefined ? (
            <div className="flex gap-1">
              <dt className="opacity-70">Status</dt>
              <dd className="font-mono">HTTP {error.status}</dd>
            </div>
          ) : null}
        </dl>
      ) : null}
      {hasDetails ? (
        <details className="mt-1.5 text-xs">
          <summary className="cursor-pointer font-medium select-none">Details</summary>
          <div className="mt-1.5 space-y-2">
            {error.body !== undefined ? <JsonView label="Response body" value={error.body} /> : null}
          </div>
        </details>
      ) : null}
    </div>
  );
}

const LOG_LINE_TONE: Record<NonNullable<RunStep["logs"]>[number]["level"], string> = {
  log: "text-slate-800",
  info: "text-sky-800",
  warn: "bg-amber-50 text-amber-900",
  error: "bg-red-50 text-red-800",
};

/** What a code step printed, as it printed it; warnings and errors stand out. */
function ConsoleLines({ lines }: { lines: NonNullable<RunStep["logs"]> }) {
  return (
    <section aria-label="Console" className="rounded-md ring-1 ring-slate-200">
      <h4 className="border-b border-slate-200 bg-slate-50 px-3 py-1 text-xs font-medium text-slate-600">Console</h4>
      <ol className="max-h-64 overflow-auto py-1 font-mono text-xs">
        {lines.map((line, index) => (
          <li key={index} className={`whitespace-pre-wrap break-words px-3 py-0.5 ${LOG_LINE_TONE[line.level]}`}>
            {line.level === "warn" || line.level === "error" ? <span className="font-semibold">{line.level}: </span> : null}
            {line.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
