"use client";

import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { apiFetch } from "@/lib/api/client";

export function NewFlowButton() {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await apiFetch<{ id: string }>("/api/v1/flows", {
      method: "POST",
      body: { name: String(form.get("name")), description: String(form.get("description") ?? "") },
    });
    setPending(false);
    if (!result.ok) return setError(result.error.message);
    setOpen(false);
    router.push(`/flows/${result.data.id}`);
    router.refresh();
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Plus className="size-4" aria-hidden />
        New flow
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby="new-flow-title"
        onClose={() => setOpen(false)}
        className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <form onSubmit={onSubmit} className="space-y-4 p-6">
          <h2 id="new-flow-title" className="text-lg font-semibold">
            New flow
          </h2>
          <ErrorAlert>{error}</ErrorAlert>
          <TextField label="Name" name="name" required autoFocus placeholder="Website leads to CRM" maxLength={120} />
          <TextAreaField label="Description" name="description" rows={2} placeholder="Optional: what this flow is for" />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Creating…" : "Create flow"}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
