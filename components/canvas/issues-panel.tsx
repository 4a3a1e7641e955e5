"use client";

// Publish problems, or the warnings of a publish that went ahead, each linking to the node it concerns.
import { AlertTriangle, X } from "lucide-react";
import { useReactFlow } from "@xyflow/react";
import { fieldPathLabel } from "@/lib/flows/node-config-schema";
import type { FlowIssue } from "@/lib/flows/validate-flow";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { useEditor } from "./editor-context";

/** A field's problem under its step's name and the field's label ("Create lead · JSON body › email"), not its config path. */
function describeIssue(issue: FlowIssue, kind: string, stepName: string): { where: string | null; text: string } {
  if (!issue.field) return { where: null, text: issue.message };
  const label = fieldPathLabel(kind, issue.field);
  const rest = issue.message.replace(/^Node "[^"]*": /, "");
  if (rest.startsWith(`${issue.field}: `)) return { where: `${stepName} · ${label}`, text: rest.slice(issue.field.length + 2) };
  if (rest.startsWith(`${issue.field} `)) return { where: stepName, text: `${label}${rest.slice(issue.field.length)}` };
  return { where: `${stepName} · ${label}`, text: rest };
}

export function IssuesPanel() {
  const issues = useEditor((state) => state.issues);
  const setIssues = useEditor((state) => state.setIssues);
  const selectOnly = useEditor((state) => state.selectOnly);
  const nodes = useEditor((state) => state.nodes);
  const { fitView } = useReactFlow();
  if (issues.length === 0) return null;
  const onlyWarnings = issues.every((issue) => issue.severity === "warning");

  function goTo(nodeId: string) {
    selectOnly(nodeId);
    void fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2, padding: 0.6 });
  }

  return (
    <aside aria-label="Problems" className="flex w-[22rem] shrink-0 flex-col border-l border-slate-200 bg-white">
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-3">
        <AlertTriangle className={`size-4 ${onlyWarnings ? "text-amber-500" : "text-red-600"}`} aria-hidden />
        <h2 className="flex-1 text-sm font-semibold text-slate-900">
          {onlyWarnings
            ? `Published with ${issues.length} warning${issues.length === 1 ? "" : "s"}`
            : `${issues.length} problem${issues.length === 1 ? "" : "s"} to fix before publishing`}
        </h2>
        <button type="button" onClick={() => setIssues([])} aria-label="Close problems" className="rounded p-1 text-slate-400 hover:bg-slate-100">
          <X className="size-4" aria-hidden />
        </button>
      </div>
      {onlyWarnings ? (
        <p className="border-b border-slate-100 bg-amber-50 px-4 py-2 text-xs text-amber-900">
          These expressions read fields that the trigger&apos;s sample or the step&apos;s last run did not have; at run time they would be empty.
        </p>
      ) : null}
      <ul className="flex-1 divide-y divide-slate-100 overflow-y-auto">
        {issues.map((issue, index) => {
          const node = issue.nodeId ? nodes.find((n) => n.id === issue.nodeId) : undefined;
          const shown = node ? describeIssue(issue, node.data.kind, node.data.name || getNodeDefinition(node.data.kind)?.title || node.id) : { where: null, text: issue.message };
          return (
            <li key={index} className="px-4 py-2.5 text-xs">
              {shown.where ? <p className="font-medium text-slate-900">{shown.where}</p> : null}
              <p className="text-slate-800">
                {issue.severity === "warning" && !onlyWarnings ? <span className="mr-1 font-semibold text-amber-700">Warning:</span> : null}
                {shown.text}
              </p>
              {node ? (
                <button type="button" onClick={() => goTo(node.id)} className="mt-1 font-medium text-brand-600 hover:underline">
                  Go to “{node.data.name || node.id}”
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
