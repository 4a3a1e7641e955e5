"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";

/** Pretty JSON in a collapsible block with a copy button. */
export function JsonView({ label, value, defaultOpen = true }: { label: string; value: unknown; defaultOpen?: boolean }) {
  const [copied, setCopied] = useState(false);
  const text = value === undefined ? "" : JSON.stringify(value, null, 2);
  async function copy() {
    await navigator.clipboard.writeText(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  return (
    <details open={defaultOpen} className="group rounded-md ring-1 ring-slate-200">
      <summary className="flex cursor-pointer items-center justify-between px-3 py-1.5 text-xs font-medium text-slate-600 select-none">
        {label}
        {value === undefined || value === null ? (
          <span className="text-slate-400">empty</span>
        ) : (
          <button
            type="button"
            onClick={(e) => {
              e.preventDefault();
              void copy();
            }}
            className="inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-slate-500 hover:bg-slate-100"
            aria-label={`Copy ${label}`}
          >
            {copied ? <Check className="size-3" aria-hidden /> : <Copy className="size-3" aria-hidden />}
            {copied ? "Copied" : "Copy"}
          </button>
        )}
      </summary>
      {value === undefined || value === null ? null : (
        <pre className="max-h-80 overflow-auto border-t border-slate-200 bg-slate-50 px-3 py-2 font-mono text-xs leading-relaxed text-slate-800">{text}</pre>
      )}
    </details>
  );
}
