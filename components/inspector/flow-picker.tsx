"use client";

// Chooses a published flow of the workspace for a config field that names one (NodeDefinition.flowFields,
// e.g. call_flow's flowId). The flow being edited is left out: a flow must not call itself.
import Link from "next/link";
import { useId } from "react";
import { useEditor } from "@/components/canvas/editor-context";
import { useApi } from "@/lib/api/use-api";
import { flowListSchema } from "@/lib/flows/flow-responses";
import { CONTROL, FieldMessage } from "./expression-input";

export function FlowPicker({ label, value, onChange, error, disabled }: { label: string; value: string; onChange: (id: string) => void; error?: string; disabled?: boolean }) {
  const id = useId();
  const currentFlowId = useEditor((state) => state.flowId);
  const flows = useApi("/api/v1/flows", flowListSchema, { revalidateIfStale: false });
  const options = flows.data ? flows.data.flows.filter((flow) => flow.activeVersion && flow.id !== currentFlowId) : flows.error ? [] : null;
  // A stored id that is not offered (unpublished, deleted, another workspace's) still shows as chosen.
  const unknown = value && options && !options.some((option) => option.id === value);
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled || options === null} aria-invalid={error ? true : undefined} className={`mt-1 ${CONTROL}`}>
        <option value="">{options === null ? "Loading…" : options.length ? "Choose a flow…" : "No other published flow yet"}</option>
        {unknown ? <option value={value}>Unavailable flow ({value})</option> : null}
        {options?.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name} (v{option.activeVersion?.version})
          </option>
        ))}
      </select>
      <FieldMessage id={id} error={error} hint={unknown ? "This flow is not a published flow of this workspace: choose another." : undefined} />
      {value && !unknown ? (
        <Link href={`/flows/${value}`} target="_blank" className="mt-1 inline-block text-[11px] text-brand-700 hover:underline">
          Open the called flow
        </Link>
      ) : null}
    </div>
  );
}
