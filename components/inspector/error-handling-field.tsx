"use client";

// "On error" of an action step (lib/nodes/shared/error-handling.ts): stored in the step's config
// beside its retry override; absent means "fail", so flows that never set it keep their JSON.
import { useId } from "react";
import { useEditor } from "@/components/canvas/editor-context";
import { ERROR_PORT, ON_ERROR_LABELS, ON_ERROR_MODES, onErrorOf, type ErrorHandlingKind, type OnErrorMode } from "@/lib/nodes/shared/error-handling";
import { CONTROL } from "./expression-input";

const HINTS: Record<OnErrorMode, string> = {
  fail: "After its last retry the step fails, and so does the run.",
  continue: "After its last retry the run goes on through the step's first output; later steps read {{ steps.ID.error.message }}.",
  route: `After its last retry the run takes the step's "${ERROR_PORT}" output only; connect it to the steps that handle the failure.`,
};

/** For kinds that can handle their errors (canHandleErrors). */
export function ErrorHandlingField({ nodeId, kind, config, readOnly }: { nodeId: string; kind: ErrorHandlingKind; config: Record<string, unknown>; readOnly: boolean }) {
  const id = useId();
  const updateNodeConfig = useEditor((state) => state.updateNodeConfig);
  const mode = onErrorOf({ config }, kind);
  const change = (next: OnErrorMode) => {
    const rest = { ...config };
    delete rest.onError;
    updateNodeConfig(nodeId, next === "fail" ? rest : { ...rest, onError: next });
  };
  return (
    <div className="rounded-md border border-slate-200 p-2.5">
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        On error
      </label>
      <select id={id} value={mode} onChange={(e) => change(e.target.value as OnErrorMode)} disabled={readOnly} className={`mt-1 ${CONTROL}`}>
        {ON_ERROR_MODES.map((option) => (
          <option key={option} value={option}>
            {ON_ERROR_LABELS[option]}
          </option>
        ))}
      </select>
      <p className="mt-1 text-[11px] text-slate-500">{HINTS[mode].replace("ID", nodeId)}</p>
    </div>
  );
}
