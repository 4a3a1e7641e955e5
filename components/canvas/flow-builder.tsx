"use client";

// The visual builder of one flow: toolbar, palette, canvas, inspector. Owns the editor store,
// autosave, publishing, activation, test runs and the keyboard shortcuts.
import "@xyflow/react/dist/style.css";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import {
  ChevronLeft,
  CircleHelp,
  Download,
  FlaskConical,
  History,
  LayoutGrid,
  Pause,
  Play,
  Plus,
  Redo2,
  Rocket,
  Undo2,
} from "lucide-react";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { mutate } from "swr";
import { FlowStatusBadge } from "@/components/flows/flow-status-badge";
import { RunFlowDialog } from "@/components/flows/run-flow-dialog";
import { Button } from "@/components/ui/button";
import { NodeInspector } from "@/components/inspector/node-inspector";
import { apiFetch } from "@/lib/api/client";
import type { EditorInit } from "./editor-store";
import { flowSchema, publishedFlowSchema } from "@/lib/flows/flow-responses";
import { validateFlow, type FlowIssue } from "@/lib/flows/validate-flow";
import { startedRunSchema } from "@/lib/runs/run-responses";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { layoutPositions } from "./auto-layout";
import { EditorProvider, useEditor, useEditorStoreApi } from "./editor-context";
import { useFlowEndpoints } from "./use-flow-endpoints";
import { FlowCanvas } from "./flow-canvas";
import { IssuesPanel } from "./issues-panel";
import { NodePalette } from "./node-palette";
import { freeCentrePosition, QuickAddDialog, snap } from "./quick-add-dialog";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { TestRunProvider } from "./test-run-context";
import { useAutosave } from "./use-autosave";
import { useTestRunProgress } from "./use-test-run-progress";
import { VersionsPanel, versionsPath } from "./versions-panel";

export interface FlowBuilderProps {
  init: EditorInit;
  flow: { id: string; name: string; status: "draft" | "active" | "paused"; activeVersion: { id: string; version: number } | null };
}

export function FlowBuilder(props: FlowBuilderProps) {
  return (
    <EditorProvider init={props.init}>
      <ReactFlowProvider>
        <BuilderLayout {...props} />
      </ReactFlowProvider>
    </EditorProvider>
  );
}

function BuilderLayout({ flow: initialFlow }: FlowBuilderProps) {
  const store = useEditorStoreApi();
  const readOnly = useEditor((state) => state.readOnly);
  const selectedId = useEditor((state) => {
    let found: string | null = null;
    for (const node of state.nodes) {
      if (!node.selected) continue;
      if (found) return null;
      found = node.id;
    }
    return found;
  });
  const hasIssues = useEditor((state) => state.issues.length > 0);
  const hint = useEditor((state) => state.hint);
  const setHint = useEditor((state) => state.setHint);
  const { saveNow } = useAutosave();
  useFlowEndpoints();
  const { fitView, screenToFlowPosition } = useReactFlow();
  const [flow, setFlow] = useState(initialFlow);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [showVersions, setShowVersions] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const followTestRun = useTestRunProgress(setMessage);
  const [showRun, setShowRun] = useState(false);
  // A flow someone starts by hand (a Manual trigger) gets a Run button; its example payload fills the form.
  const manualTrigger = useEditor((state) => state.nodes.find((node) => getNodeDefinition(node.data.kind)?.startedBy === "manual"));

  useEffect(() => {
    if (!hint) return;
    const timer = setTimeout(() => setHint(null), 4000);
    return () => clearTimeout(timer);
  }, [hint, setHint]);

  const addAtCentre = useCallback(
    (kind: string) => {
      store.getState().addNode(kind, snap(freeCentrePosition(screenToFlowPosition, store.getState().nodes)));
    },
    [screenToFlowPosition, store],
  );

  const tidyUp = useCallback(async () => {
    const state = store.getState();
    if (state.readOnly || state.nodes.length === 0) return;
    const positions = await layoutPositions(state.nodes, state.edges);
    store.getState().applyPositions(positions);
    requestAnimationFrame(() => void fitView({ duration: 300, maxZoom: 1, padding: 0.2 }));
  }, [fitView, store]);

  function showIssues(issues: FlowIssue[], text: string) {
    store.getState().setIssues(issues);
    setShowVersions(false);
    store.getState().selectOnly(null);
    setMessage({ tone: "error", text });
  }

  async function publish() {
    setBusy("publish");
    setMessage(null);
    try {
      if (!(await saveNow())) return setMessage({ tone: "error", text: store.getState().saveError ?? "Save the draft first" });
      const local = validateFlow(store.getState().graph(), { forPublish: true });
      if (local.length) return showIssues(local, `Not published: ${local.length} problem${local.length === 1 ? "" : "s"} to fix.`);
      const result = await apiFetch(`/api/v1/flows/${flow.id}/publish`, {
        schema: publishedFlowSchema,
        method: "POST",
        body: {},
      });
      if (!result.ok) {
        const issues = (result.error.details as { issues?: FlowIssue[] } | undefined)?.issues;
        if (issues?.length) return showIssues(issues, result.error.message);
        return setMessage({ tone: "error", text: result.error.message });
      }
      // Warnings (expression paths the sample or the last run did not have) do not stop publishing; they open in the Problems panel.
      const warnings = result.data.warnings;
      store.getState().setIssues(warnings);
      if (warnings.length) setShowVersions(false);
      setFlow((current) => ({ ...current, status: result.data.flow.status, activeVersion: result.data.version }));
      void mutate(versionsPath(flow.id));
      const warned = warnings.length ? ` with ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` : "";
      const next = manualTrigger ? " Run it with the Run button." : result.data.flow.status === "active" ? " New requests use it now." : " Activate the flow to start receiving runs.";
      setMessage({ tone: "ok", text: `Published version ${result.data.version.version}${warned}.${next}` });
    } finally {
      setBusy(null);
    }
  }

  async function setStatus(action: "activate" | "pause") {
    setBusy(action);
    const result = await apiFetch(`/api/v1/flows/${flow.id}/${action}`, { schema: flowSchema, method: "POST", body: {} });
    setBusy(null);
    if (!result.ok) return setMessage({ tone: "error", text: result.error.message });
    setFlow((current) => ({ ...current, status: result.data.status }));
    setMessage({ tone: "ok", text: action === "activate" ? "Active: the trigger URL now starts runs." : "Paused: requests are refused until you activate the flow again." });
  }

  /** A test run of the draft, with `trigger` as its request (a captured test event) or else the sample. */
  async function testRun(trigger?: unknown) {
    setBusy("test");
    setMessage(null);
    try {
      if (!(await saveNow())) return setMessage({ tone: "error", text: store.getState().saveError ?? "Save the draft first" });
      const local = validateFlow(store.getState().graph(), { forPublish: true });
      if (local.length) return showIssues(local, `Cannot test yet: ${local.length} problem${local.length === 1 ? "" : "s"} to fix.`);
      const result = await apiFetch(`/api/v1/flows/${flow.id}/runs?source=draft`, { schema: startedRunSchema, method: "POST", body: trigger });
      if (!result.ok) {
        const issues = (result.error.details as { issues?: FlowIssue[] } | undefined)?.issues;
        if (issues?.length) return showIssues(issues, result.error.message);
        return setMessage({ tone: "error", text: result.error.message });
      }
      store.getState().setTestRun({ runId: result.data.runId, status: "queued", steps: {} });
      setMessage({ tone: "ok", text: trigger !== undefined ? "Test run of the draft started with the test event…" : "Test run started with the sample payload…" });
      followTestRun(result.data.runId);
    } finally {
      setBusy(null);
    }
  }

  // One stable function for the inspector (Listen for test event), always calling the latest testRun.
  const testRunRef = useRef(testRun);
  useEffect(() => {
    testRunRef.current = testRun;
  });
  const startTestRun = useCallback((trigger?: unknown) => testRunRef.current(trigger), []);

  // Keyboard shortcuts; typing in a field keeps the field's own behaviour.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (target && (target.closest("input, textarea, select, [contenteditable=true]") || target.closest("dialog[open]"))) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const state = store.getState();
      if (mod && key === "z") {
        event.preventDefault();
        if (event.shiftKey) state.redo();
        else state.undo();
      } else if (mod && key === "y") {
        event.preventDefault();
        state.redo();
      } else if (mod && key === "c") {
        if (state.copySelection()) event.preventDefault();
      } else if (mod && key === "v") {
        if (state.paste()) event.preventDefault();
      } else if (mod && key === "d") {
        event.preventDefault();
        state.duplicateSelection();
      } else if (mod && key === "s") {
        event.preventDefault();
        void saveNow();
      } else if ((mod && key === "k") || (!mod && event.key === "/")) {
        if (state.readOnly) return;
        event.preventDefault();
        state.openQuickAdd({});
      } else if (!mod && event.key === "?") {
        event.preventDefault();
        setShowHelp(true);
      } else if (!mod && event.shiftKey && key === "l") {
        event.preventDefault();
        void tidyUp();
      } else if (!mod && event.shiftKey && key === "f") {
        event.preventDefault();
        void fitView({ duration: 300, maxZoom: 1, padding: 0.2 });
      } else if (event.key === "Escape") {
        state.selectOnly(null);
        setShowVersions(false);
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [store, saveNow, tidyUp, fitView]);

  const rightPanel = selectedId ? (
    <NodeInspector key={selectedId} nodeId={selectedId} />
  ) : hasIssues ? (
    <IssuesPanel />
  ) : showVersions ? (
    <VersionsPanel activeVersionId={flow.activeVersion?.id ?? null} onClose={() => setShowVersions(false)} beforeRestore={saveNow} />
  ) : null;

  return (
    // Full-bleed below the app header (h-14 + 1px border): the canvas needs the whole width.
    <TestRunProvider value={startTestRun}>
      <div className="fixed inset-x-0 top-[57px] bottom-0 z-10 flex flex-col bg-slate-50">
        <header className="flex h-12 shrink-0 items-center gap-2 border-b border-slate-200 bg-white px-3">
          <Link href="/flows" className="flex items-center gap-1 rounded px-1.5 py-1 text-sm text-slate-500 hover:bg-slate-100 hover:text-slate-800">
            <ChevronLeft className="size-4" aria-hidden /> Flows
          </Link>
          <h1 className="max-w-64 truncate text-base font-semibold text-slate-900">{flow.name}</h1>
          <FlowStatusBadge status={flow.status} />
          {flow.activeVersion ? <span className="text-xs text-slate-500">v{flow.activeVersion.version} live</span> : null}
          <SaveIndicator onRetry={() => void saveNow()} />
          <div className="ml-auto flex items-center gap-1">
            {!readOnly ? (
              <>
                <ToolbarButton label="Add step (/)" onClick={() => store.getState().openQuickAdd({})}>
                  <Plus className="size-4" aria-hidden />
                </ToolbarButton>
                <UndoRedo />
                <ToolbarButton label="Tidy up (Shift L)" onClick={() => void tidyUp()}>
                  <LayoutGrid className="size-4" aria-hidden />
                </ToolbarButton>
              </>
            ) : null}
            <ToolbarButton label="Version history" pressed={showVersions} onClick={() => { store.getState().setIssues([]); store.getState().selectOnly(null); setShowVersions(!showVersions); }}>
              <History className="size-4" aria-hidden />
            </ToolbarButton>
            <a href={`/api/v1/flows/${flow.id}/export`} download aria-label="Export JSON" title="Export JSON" className="grid size-8 place-items-center rounded-md text-slate-600 hover:bg-slate-100">
              <Download className="size-4" aria-hidden />
            </a>
            <ToolbarButton label="Keyboard shortcuts (?)" onClick={() => setShowHelp(true)}>
              <CircleHelp className="size-4" aria-hidden />
            </ToolbarButton>
            {!readOnly ? (
              <>
                <span className="mx-1 h-6 w-px bg-slate-200" aria-hidden />
                {manualTrigger ? (
                  <Button size="sm" onClick={() => setShowRun(true)} disabled={busy !== null || !flow.activeVersion} title={flow.activeVersion ? "Run the published version with a payload" : "Publish first"}>
                    <Play className="size-3.5" aria-hidden /> Run
                  </Button>
                ) : null}
                <Button size="sm" variant="secondary" onClick={() => void testRun()} disabled={busy !== null}>
                  <FlaskConical className="size-3.5" aria-hidden /> {busy === "test" ? "Starting…" : "Test run"}
                </Button>
                <Button size="sm" variant="secondary" onClick={() => void publish()} disabled={busy !== null}>
                  <Rocket className="size-3.5" aria-hidden /> {busy === "publish" ? "Publishing…" : "Publish"}
                </Button>
                {flow.status === "active" ? (
                  <Button size="sm" variant="secondary" onClick={() => void setStatus("pause")} disabled={busy !== null}>
                    <Pause className="size-3.5" aria-hidden /> Pause
                  </Button>
                ) : (
                  <Button size="sm" onClick={() => void setStatus("activate")} disabled={busy !== null || !flow.activeVersion} title={flow.activeVersion ? undefined : "Publish first"}>
                    <Play className="size-3.5" aria-hidden /> Activate
                  </Button>
                )}
              </>
            ) : (
              <span className="text-xs text-slate-500">Read-only: your role cannot change flows.</span>
            )}
          </div>
        </header>
        <ConflictBanner />
        {message ? (
          <div role={message.tone === "error" ? "alert" : "status"} className={`flex items-center gap-2 border-b px-4 py-1.5 text-sm ${message.tone === "error" ? "border-red-200 bg-red-50 text-red-700" : "border-emerald-200 bg-emerald-50 text-emerald-800"}`}>
            <span className="flex-1">{message.text}</span>
            <button type="button" onClick={() => setMessage(null)} className="text-xs underline">
              Dismiss
            </button>
          </div>
        ) : null}
        <div className="flex min-h-0 flex-1">
          {!readOnly ? <NodePalette onAdd={addAtCentre} /> : null}
          <main className="relative min-w-0 flex-1" aria-label="Canvas">
            <FlowCanvas />
            <EmptyCanvasHint />
            {hint ? (
              <div role="status" className="pointer-events-none absolute top-3 left-1/2 -translate-x-1/2 rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white shadow-lg">
                {hint}
              </div>
            ) : null}
          </main>
          {rightPanel}
        </div>
        <QuickAddDialog />
        <RunFlowDialog
          flowId={flow.id}
          open={showRun}
          examplePayload={String((manualTrigger?.data.config as { examplePayload?: unknown } | undefined)?.examplePayload ?? "{}")}
          onClose={() => setShowRun(false)}
        />
        <ShortcutsDialog open={showHelp} onClose={() => setShowHelp(false)} />
      </div>
    </TestRunProvider>
  );
}

function ToolbarButton({ label, onClick, disabled, pressed, children }: { label: string; onClick: () => void; disabled?: boolean; pressed?: boolean; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      aria-pressed={pressed}
      onClick={onClick}
      disabled={disabled}
      className={`grid size-8 place-items-center rounded-md text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600 disabled:opacity-40 ${pressed ? "bg-slate-100" : ""}`}
    >
      {children}
    </button>
  );
}

function UndoRedo() {
  const canUndo = useEditor((state) => state.past.length > 0);
  const canRedo = useEditor((state) => state.future.length > 0);
  const undo = useEditor((state) => state.undo);
  const redo = useEditor((state) => state.redo);
  return (
    <>
      <ToolbarButton label="Undo (Ctrl Z)" onClick={undo} disabled={!canUndo}>
        <Undo2 className="size-4" aria-hidden />
      </ToolbarButton>
      <ToolbarButton label="Redo (Ctrl Shift Z)" onClick={redo} disabled={!canRedo}>
        <Redo2 className="size-4" aria-hidden />
      </ToolbarButton>
    </>
  );
}

function SaveIndicator({ onRetry }: { onRetry: () => void }) {
  const status = useEditor((state) => state.saveStatus);
  const error = useEditor((state) => state.saveError);
  const text = { saved: "All changes saved", dirty: "Unsaved changes", saving: "Saving…", error: "Save failed", conflict: "Not saved: changed elsewhere" }[status];
  return (
    <span role="status" aria-live="polite" className={`ml-2 text-xs ${status === "error" || status === "conflict" ? "text-red-600" : "text-slate-500"}`} title={error ?? undefined}>
      {text}
      {status === "error" ? (
        <button type="button" onClick={onRetry} className="ml-1 underline">
          Retry
        </button>
      ) : null}
    </span>
  );
}

function ConflictBanner() {
  const status = useEditor((state) => state.saveStatus);
  const error = useEditor((state) => state.saveError);
  if (status !== "conflict") return null;
  return (
    <div role="alert" className="flex items-center gap-3 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <span className="flex-1">{error ?? "This flow was changed in another tab or by someone else."} Your latest edits were not saved.</span>
      <Button size="sm" variant="secondary" onClick={() => window.location.reload()}>
        Reload latest draft
      </Button>
    </div>
  );
}

function EmptyCanvasHint() {
  const empty = useEditor((state) => state.nodes.length === 0);
  const readOnly = useEditor((state) => state.readOnly);
  const openQuickAdd = useEditor((state) => state.openQuickAdd);
  const text = useMemo(() => (readOnly ? "This flow has no steps yet." : "Start with a trigger: drag “Form submission” or “Webhook” from the left, or press / to search."), [readOnly]);
  if (!empty) return null;
  return (
    <div className="pointer-events-none absolute inset-0 grid place-items-center">
      <div className="pointer-events-auto max-w-sm rounded-xl bg-white/90 p-6 text-center shadow-sm ring-1 ring-slate-200">
        <p className="text-sm text-slate-600">{text}</p>
        {!readOnly ? (
          <Button size="sm" className="mt-3" onClick={() => openQuickAdd({})}>
            <Plus className="size-3.5" aria-hidden /> Add a trigger
          </Button>
        ) : null}
      </div>
    </div>
  );
}
