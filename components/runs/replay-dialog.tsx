"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/client";
import { startedRunSchema } from "@/lib/runs/run-responses";

/** Replay from the start or only the failed part, on the original version or the current one. */
export function ReplayDialog({ runId, failed, onClose, onReplayed }: { runId: string; failed: boolean; onClose: () => void; onReplayed: (runId: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    const result = await apiFetch(`/api/v1/runs/${runId}/replay`, {
      schema: startedRunSchema,
      method: "POST",
      body: { mode: form.get("mode"), version: form.get("version") },
    });
    setPending(false);
    if (!result.ok) return setError(result.error.message);
    onReplayed(result.data.runId);
  }

  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="replay-title" className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
      <form onSubmit={onSubmit} className="space-y-4 p-6 text-sm">
        <h2 id="replay-title" className="text-lg font-semibold">
          Replay run
        </h2>
        <ErrorAlert>{error}</ErrorAlert>
        <fieldset className="space-y-2">
          <legend className="font-medium text-slate-700">What to run</legend>
          <label className="flex items-start gap-2">
            <input type="radio" name="mode" value="failed-only" defaultChecked={failed} disabled={!failed} className="mt-0.5" />
            <span>
              Only the failed part <span className="block text-xs text-slate-500">Reuses the outputs of steps that succeeded; runs the rest.</span>
            </span>
          </label>
          <label className="flex items-start gap-2">
            <input type="radio" name="mode" value="full" defaultChecked={!failed} className="mt-0.5" />
            <span>
              From the start <span className="block text-xs text-slate-500">Runs every step again with the same trigger payload.</span>
            </span>
          </label>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="font-medium text-slate-700">Which version</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="version" value="original" defaultChecked /> The version this run used
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="version" value="current" /> The flow&apos;s current published version
          </label>
        </fieldset>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? "Starting…" : "Replay"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
