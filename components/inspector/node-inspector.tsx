"use client";

// The right-hand panel for the selected step: name, trigger webhook, generated settings form and
// the step's input/output from the last test run.
import { Trash2, X } from "lucide-react";
import { useId, useMemo } from "react";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { canHandleErrors } from "@/lib/nodes/shared/error-handling";
import type { NodeDefinition } from "@/lib/nodes/node-definition";
import { configJsonSchema } from "@/lib/flows/node-config-schema";
import { useEditor } from "@/components/canvas/editor-context";
import { NodeIcon } from "@/components/canvas/node-icon";
import { formatDuration } from "@/components/canvas/step-node";
import { DestinationWarning } from "./destination-warning";
import { ErrorHandlingField } from "./error-handling-field";
import { CONTROL } from "./expression-input";
import { SchemaForm } from "./schema-form";
import { TriggerPanel } from "./trigger-panel";

export function NodeInspector({ nodeId }: { nodeId: string }) {
  const node = useEditor((state) => state.nodes.find((n) => n.id === nodeId));
  const readOnly = useEditor((state) => state.readOnly);
  const renameNode = useEditor((state) => state.renameNode);
  const deleteNodes = useEditor((state) => state.deleteNodes);
  const selectOnly = useEditor((state) => state.selectOnly);
  const step = useEditor((state) => state.testRun?.steps[nodeId]);
  const allIssues = useEditor((state) => state.issues);
  const issues = useMemo(() => allIssues.filter((issue) => issue.nodeId === nodeId), [allIssues, nodeId]);
  const nameId = useId();
  if (!node) return null;
  const definition = getNodeDefinition(node.data.kind);
  const schema = configJsonSchema(node.data.kind);

  return (
    <aside aria-label="Step settings panel" className="flex w-[22rem] shrink-0 flex-col border-l border-slate-200 bg-white">
      <div className="flex items-start gap-2 border-b border-slate-200 px-4 py-3">
        <span className="mt-0.5 grid size-8 shrink-0 place-items-center rounded-md bg-slate-100 text-slate-700">
          <NodeIcon name={definition?.icon} />
        </span>
        <div className="min-w-0 flex-1">
          <h2 className="truncate text-sm font-semibold text-slate-900">{definition?.title ?? `Unknown step "${node.data.kind}"`}</h2>
          <p className="text-[11px] leading-snug text-slate-500">{definition?.description}</p>
        </div>
        <button type="button" onClick={() => selectOnly(null)} aria-label="Close step settings" className="rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700">
          <X className="size-4" aria-hidden />
        </button>
      </div>
      <div className="flex-1 space-y-4 overflow-y-auto px-4 py-3">
        {issues.length ? (
          <ul role="alert" className="space-y-1 rounded-md bg-red-50 p-2 text-xs text-red-700 ring-1 ring-red-200">
            {issues.map((issue, index) => (
              <li key={index}>{issue.message}</li>
            ))}
          </ul>
        ) : null}
        <div>
          <label htmlFor={nameId} className="block text-xs font-medium text-slate-700">
            Step name
          </label>
          <input
            id={nameId}
            value={node.data.name}
            placeholder={definition?.title}
            onChange={(e) => renameNode(nodeId, e.target.value)}
            disabled={readOnly}
            maxLength={200}
            className={`mt-1 ${CONTROL}`}
          />
          {!node.data.isTrigger ? (
            <p className="mt-1 text-[11px] text-slate-500">
              Later steps read its output as <code className="rounded bg-slate-100 px-1">{`{{ steps.${nodeId} }}`}</code>
            </p>
          ) : null}
        </div>
        {definition?.startedBy === "webhook" ? <TriggerPanel nodeId={nodeId} kind={node.data.kind} /> : null}
        {definition ? <DestinationWarning definition={definition} config={node.data.config} /> : null}
        {definition && schema ? (
          <>
            <SchemaForm key={nodeId} nodeId={nodeId} definition={definition} schema={schema} config={node.data.config} readOnly={readOnly} />
            <ConfigPreview definition={definition} config={node.data.config} />
          </>
        ) : (
          <p className="text-xs text-red-600">This step kind is unknown to this version of Switchyard; delete it or import a flow made for it.</p>
        )}
        {canHandleErrors(definition) ? <ErrorHandlingField nodeId={nodeId} kind={definition} config={node.data.config} readOnly={readOnly} /> : null}
        {step ? <StepRunDetails step={step} /> : null}
      </div>
      {!readOnly ? (
        <div className="border-t border-slate-200 px-4 py-2">
          <button type="button" onClick={() => deleteNodes([nodeId])} className="inline-flex items-center gap-1 rounded px-2 py-1 text-xs font-medium text-red-600 hover:bg-red-50">
            <Trash2 className="size-3.5" aria-hidden /> Delete step
          </button>
        </div>
      ) : null}
    </aside>
  );
}

/** What the kind shows for a valid config (a schedule's next times); nothing while the config has errors (the form shows them). */
function ConfigPreview({ definition, config }: { definition: NodeDefinition; config: Record<string, unknown> }) {
  const preview = useMemo(() => {
    if (!definition.preview) return null;
    const parsed = definition.configSchema.safeParse(config);
    return parsed.success ? definition.preview(parsed.data) : null;
  }, [definition, config]);
  if (!preview) return null;
  return (
    <section aria-label={preview.heading} className="rounded-md border border-slate-200 p-2.5">
      <h3 className="text-xs font-semibold text-slate-700">{preview.heading}</h3>
      <ol className="mt-1 space-y-0.5 text-xs tabular-nums text-slate-700">
        {preview.lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
    </section>
  );
}

function StepRunDetails({ step }: { step: { status: string; durationMs: number | null; attempt: number; input: unknown; output: unknown; error: unknown } }) {
  return (
    <section aria-label="Last test run" className="space-y-2 rounded-md border border-slate-200 p-2.5">
      <h3 className="text-xs font-semibold text-slate-700">
        Last test run: {step.status}
        {step.durationMs !== null ? ` · ${formatDuration(step.durationMs)}` : ""}
        {step.attempt > 1 ? ` · attempt ${step.attempt}` : ""}
      </h3>
      {step.error ? <JsonBlock label="Error" value={step.error} /> : null}
      <JsonBlock label="Input" value={step.input} />
      <JsonBlock label="Output" value={step.output} />
    </section>
  );
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <details open={label !== "Input"}>
      <summary className="cursor-pointer text-[11px] font-medium text-slate-600">{label}</summary>
      <pre className="mt-1 max-h-48 overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px] text-slate-800" aria-label={`Step ${label.toLowerCase()}`}>
        {value === undefined || value === null ? "—" : JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}
