"use client";

// A text field that accepts expressions: a variable picker inserts {{ … }} at the cursor.
import { useId, useRef, useState } from "react";
import { VariableButton, VariablePicker } from "./variable-picker";

export const CONTROL =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 aria-invalid:ring-red-500 disabled:bg-slate-50";

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
}) {
  const id = useId();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [picking, setPicking] = useState(false);

  function insert(reference: string) {
    const element = ref.current;
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    const next = value.slice(0, start) + reference + value.slice(end);
    onChange(next);
    setPicking(false);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + reference.length, start + reference.length);
    });
  }

  const props = {
    id,
    ref,
    value,
    disabled,
    onBlur,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
    className: `${CONTROL} ${monospace ? "font-mono text-xs" : ""}`,
  };

  return (
    <div className="relative">
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-1 flex items-start gap-1.5">
        {multiline ? <textarea rows={monospace ? 4 : 3} {...props} /> : <input type="text" autoComplete="off" spellCheck={false} {...props} />}
        {!disabled ? <VariableButton expanded={picking} onClick={() => setPicking(!picking)} /> : null}
      </div>
      {picking ? <VariablePicker nodeId={nodeId} onInsert={insert} onClose={() => setPicking(false)} /> : null}
      <FieldMessage id={id} hint={hint} error={error} />
    </div>
  );
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
