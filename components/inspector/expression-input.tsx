"use client";

// A text field of a step's settings. Fields that accept expressions get the variable picker, inline
// checks while typing (syntax, unknown names, steps that run later, paths the data lacks) and a
// live preview of the value against the sample and the last test run; literal fields get none.
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { findReferences } from "@/lib/expressions/find-references";
import { checkTemplate, expressionSources, findMissingPaths, previewTemplate, type ExpressionSyntax, type PreviewResult } from "@/lib/expressions/inspect-template";
import type { FieldSyntax } from "@/lib/nodes/node-definition";
import { useExpressionScope } from "./use-expression-scope";
import { VariableButton, VariablePicker } from "./variable-picker";

export const CONTROL =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 aria-invalid:ring-red-500 disabled:bg-slate-50";

const PREVIEW_DELAY_MS = 150;

export function ExpressionInput({
  nodeId,
  label,
  hint,
  error,
  value,
  onChange,
  onBlur,
  multiline,
  monospace,
  disabled,
  syntax = "template",
}: {
  nodeId: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  multiline?: boolean;
  monospace?: boolean;
  disabled?: boolean;
  /** "literal" fields take no expressions: no picker, no checks. (JavaScript fields use CodeEditor.) */
  syntax?: Exclude<FieldSyntax, "javascript">;
}) {
  const id = useId();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const field = useRef<HTMLDivElement>(null);
  const [picking, setPicking] = useState(false);
  const expressions = syntax !== "literal";

  function insert(reference: string) {
    const element = ref.current;
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    // A JSONata field is an expression already: insert the bare path.
    const text = syntax === "jsonata" ? reference.replace(/^\{\{ (.*) \}\}$/, "$1") : reference;
    onChange(value.slice(0, start) + text + value.slice(end));
    setPicking(false);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + text.length, start + text.length);
    });
  }

  const describedBy = [error ? `${id}-error` : hint ? `${id}-hint` : null, expressions ? `${id}-check` : null].filter(Boolean).join(" ");
  const props = {
    id,
    ref,
    value,
    disabled,
    onBlur,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy || undefined,
    className: `${CONTROL} ${monospace ? "font-mono text-xs" : ""}`,
  };

  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <div ref={field} className="mt-1 flex items-start gap-1.5">
        {multiline ? <textarea rows={monospace ? 4 : 3} {...props} /> : <input type="text" autoComplete="off" spellCheck={false} {...props} />}
        {expressions && !disabled ? <VariableButton expanded={picking} onClick={() => setPicking(!picking)} /> : null}
      </div>
      {picking ? <VariablePicker nodeId={nodeId} anchor={field} onInsert={insert} onClose={() => setPicking(false)} /> : null}
      <FieldMessage id={id} hint={hint} error={error} />
      {syntax !== "literal" ? <ExpressionFeedback id={`${id}-check`} nodeId={nodeId} text={value} syntax={syntax} /> : null}
    </div>
  );
}

/** Problems and the preview under one field, recomputed as the user types. */
function ExpressionFeedback({ id, nodeId, text, syntax }: { id: string; nodeId: string; text: string; syntax: ExpressionSyntax }) {
  const { scope, data } = useExpressionScope(nodeId);
  const sources = useMemo(() => expressionSources(text, syntax), [text, syntax]);
  const errors = useMemo(() => checkTemplate(text, syntax, scope), [text, syntax, scope]);
  const warnings = useMemo(() => (errors.length ? [] : findMissingPaths(text, syntax, data, scope)), [errors, text, syntax, data, scope]);
  const hasExpressions = "sources" in sources && sources.sources.length > 0;
  const [preview, setPreview] = useState<{ text: string; result: PreviewResult } | null>(null);

  useEffect(() => {
    if (!hasExpressions || errors.length) return;
    let current = true;
    const timer = setTimeout(() => {
      void previewTemplate(text, syntax, data.context).then((result) => {
        if (current) setPreview({ text, result });
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [hasExpressions, errors, text, syntax, data.context]);

  if (!hasExpressions && errors.length === 0) return <div id={id} />;
  const shown = preview && preview.text === text && errors.length === 0 ? preview.result : null;
  return (
    <div id={id} aria-live="polite" className="mt-1 space-y-1">
      {errors.map((problem) => (
        <p key={problem.message} className="text-xs text-red-600" data-testid="expression-error">
          {problem.message}
        </p>
      ))}
      {warnings.map((problem) => (
        <p key={problem.message} className="text-xs text-amber-700" data-testid="expression-warning">
          {problem.message}
        </p>
      ))}
      {shown ? (
        <div role="status" aria-label="Preview" className="rounded bg-slate-50 px-2 py-1 text-[11px] ring-1 ring-slate-200 ring-inset">
          <span className="font-medium text-slate-500">Preview {dataNote("sources" in sources ? sources.sources : [], data)}: </span>
          {shown.ok ? <PreviewValue value={shown.value} /> : <span className="text-red-700">a run would fail here: {shown.error}</span>}
        </div>
      ) : null}
    </div>
  );
}

function PreviewValue({ value }: { value: unknown }) {
  if (value === undefined) return <span className="text-amber-700 italic">nothing (no value at this path)</span>;
  if (value === "") return <span className="text-slate-500 italic">empty text</span>;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, typeof value === "object" && value !== null ? 1 : 0);
  const short = text.length > 300 ? `${text.slice(0, 299)}…` : text;
  return <span className="font-mono break-all whitespace-pre-wrap text-slate-800" data-testid="expression-preview">{short}</span>;
}

/** Which data the preview used: "with the sample", "with the last test run", "with example output". */
function dataNote(sources: string[], data: ReturnType<typeof useExpressionScope>["data"]): string {
  const used = new Set<string>();
  for (const source of sources) {
    let paths: string[][];
    try {
      paths = findReferences(source).map((reference) => reference.path);
    } catch {
      continue;
    }
    for (const [root, second] of paths) {
      if (root === "trigger") used.add(data.hasSample ? "the sample" : "no sample yet");
      else if (root === "steps" && second) {
        const from = data.stepSource[second];
        used.add(from === "run" ? "the last test run" : from === "example" ? "example output" : "no test run yet");
      }
    }
  }
  return used.size ? `(${[...used].join(", ")})` : "";
}

export function FieldMessage({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  if (error) {
    return (
      <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-600">
        {error}
      </p>
    );
  }
  return hint ? (
    <p id={`${id}-hint`} className="mt-1 text-[11px] leading-snug text-slate-500">
      {hint}
    </p>
  ) : null;
}
