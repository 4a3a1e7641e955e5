"use client";

import { LayoutTemplate, Plus, Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { NodeIcon } from "@/components/canvas/node-icon";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { apiFetch } from "@/lib/api/client";
import { flowSchema } from "@/lib/flows/flow-responses";
import { parseFlowExport } from "@/lib/flows/export-flow";
import type { FlowGraph } from "@/lib/flows/graph";
import { FLOW_TEMPLATES, type FlowTemplate } from "@/lib/flows/templates";
import { getNodeDefinition } from "@/lib/nodes/definitions";

/** New flow, from scratch, from a template, or imported from an exported JSON file. */
export function NewFlowButton({ align = "end" }: { align?: "end" | "center" }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const gallery = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [galleryOpen, setGalleryOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);
  useEffect(() => {
    if (galleryOpen) gallery.current?.showModal();
    else gallery.current?.close();
  }, [galleryOpen]);

  async function create(body: { name: string; description: string; graph?: FlowGraph }): Promise<string | null> {
    setPending(true);
    const result = await apiFetch("/api/v1/flows", { schema: flowSchema, method: "POST", body });
    setPending(false);
    if (!result.ok) return result.error.message;
    router.push(`/flows/${result.data.id}`);
    router.refresh();
    return null;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    const problem = await create({ name: String(form.get("name")), description: String(form.get("description") ?? "") });
    if (problem) return setError(problem);
    setOpen(false);
  }

  async function startFromTemplate(template: FlowTemplate) {
    setError(null);
    const problem = await create({ name: template.name, description: template.description, graph: template.graph });
    if (problem) return setError(problem);
    setGalleryOpen(false);
  }

  async function onImport(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setImportError(null);
    try {
      const exported = parseFlowExport(await file.text());
      const problem = await create({ name: exported.name, description: exported.description, graph: exported.graph });
      if (problem) setImportError(`Import failed: ${problem}`);
    } catch (parseError) {
      setImportError(`Import failed: ${(parseError as Error).message}`);
    }
  }

  return (
    <div className={`flex flex-col gap-2 ${align === "center" ? "items-center" : "items-end"}`}>
      <div className={`flex flex-wrap gap-2 ${align === "center" ? "justify-center" : "justify-end"}`}>
        <label className="inline-flex cursor-pointer items-center gap-1.5 rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset focus-within:outline-2 focus-within:outline-brand-600 hover:bg-slate-50">
          <Upload className="size-4" aria-hidden />
          Import
          <input type="file" accept="application/json,.json" aria-label="Import flow JSON" className="sr-only" onChange={(e) => void onImport(e)} />
        </label>
        <Button variant="secondary" onClick={() => setGalleryOpen(true)}>
          <LayoutTemplate className="size-4" aria-hidden />
          Templates
        </Button>
        <Button onClick={() => setOpen(true)}>
          <Plus className="size-4" aria-hidden />
          New flow
        </Button>
      </div>
      <ErrorAlert>{importError}</ErrorAlert>
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
      <dialog
        ref={gallery}
        aria-labelledby="templates-title"
        onClose={() => setGalleryOpen(false)}
        className="m-auto w-full max-w-3xl rounded-xl p-0 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="p-6">
          <h2 id="templates-title" className="text-lg font-semibold">
            Start from a template
          </h2>
          <p className="mt-1 text-sm text-slate-500">Each template is a working flow: choose its credentials in the highlighted steps, publish and activate it (webhook flows: copy the trigger URL into the sender).</p>
          <ErrorAlert>{error}</ErrorAlert>
          <ul className="mt-4 grid gap-3 sm:grid-cols-2">
            {FLOW_TEMPLATES.map((template) => (
              <li key={template.id} className="flex flex-col rounded-lg p-4 ring-1 ring-slate-200">
                <div className="flex items-center gap-2">
                  {template.graph.nodes.map((node, index) => (
                    <span key={node.id} className="flex items-center gap-2">
                      {index > 0 ? <span className="text-slate-300" aria-hidden>→</span> : null}
                      <span className="grid size-7 place-items-center rounded-md bg-slate-100 text-slate-600" title={getNodeDefinition(node.kind)?.title}>
                        <NodeIcon name={getNodeDefinition(node.kind)?.icon} />
                      </span>
                    </span>
                  ))}
                </div>
                <h3 className="mt-3 text-sm font-semibold text-slate-900">{template.name}</h3>
                <p className="mt-1 flex-1 text-xs text-slate-500">{template.description}</p>
                <Button size="sm" variant="secondary" className="mt-3 self-start" disabled={pending} onClick={() => void startFromTemplate(template)} aria-label={`Use template ${template.name}`}>
                  Use template
                </Button>
              </li>
            ))}
          </ul>
          <div className="mt-4 flex justify-end">
            <Button variant="secondary" onClick={() => setGalleryOpen(false)}>
              Close
            </Button>
          </div>
        </div>
      </dialog>
    </div>
  );
}
