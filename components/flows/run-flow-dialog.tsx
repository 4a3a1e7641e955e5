"use client";

// "Run" for a published flow with a Manual trigger: type a JSON payload, start a run of the
// published version (POST /api/v1/flows/:id/runs) and follow it in the run log.
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/client";
import { startedRunSchema } from "@/lib/runs/run-responses";

export function RunFlowDialog({ flowId, open, examplePayload, onClose }: { flowId: string; open: boolean; examplePayload: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [payload, setPayload] = useState(examplePayload);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const fieldId = useId();

  useEffect(() => {
    if (open && !dialog.current?.open) {
      setPayload(examplePayload);
      setError(null);
      setStarted(null);
      dialog.current?.showModal();
    }
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open, examplePayload]);

  async function run(event: React.FormEvent) {
    event.preventDefault();
    let body: unknown;
    try {
      body = payload.trim() ? JSON.parse(payload) : {};
    } catch (parseError) {
      setError(`The payload is not valid JSON: ${(parseError as Error).message}`);
      return;
    }
    setPending(true);
    setError(null);
    const result = await apiFetch(`/api/v1/flows/${flowId}/runs`, { schema: startedRunSchema, method: "POST", body });
    setPending(false);
    if (!result.ok) return setError(result.error.message);
    setStarted(result.data.runId);
  }

  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby={`${fieldId}-title`} className="m-auto w-full max-w-lg rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
      <form onSubmit={(event) => void run(event)} className="space-y-3 p-6">
        <h2 id={`${fieldId}-title`} className="text-lg font-semibold">
          Run the published flow
        </h2>
        <div>
          <label htmlFor={fieldId} className="block text-xs font-medium text-slate-700">
            Payload (JSON)
          </label>
          <textarea
            id={fieldId}
            value={payload}
            onChange={(event) => {
              setPayload(event.target.value);
              setError(null);
            }}
            rows={8}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            className="mt-1 w-full rounded-md border border-slate-300 px-2.5 py-2 font-mono text-xs text-slate-900 focus:border-brand-500 focus:outline-none"
          />
          <p className="mt-1 text-[11px] text-slate-500">
            Later steps read it as <code className="rounded bg-slate-100 px-1">{"{{ trigger.body }}"}</code>.
          </p>
        </div>
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200">
            {error}
          </p>
        ) : null}
        {started ? (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
            Run started.{" "}
            <Link href={`/runs/${started}`} className="font-medium underline">
              View run
            </Link>
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Starting…" : started ? "Run again" : "Run"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
