// Follows the builder's test run until it ends, showing each node's latest attempt on the canvas.
import { useState } from "react";
import { useApi } from "@/lib/api/use-api";
import { isFinishedRunStatus } from "@/lib/runs/run-statuses";
import { runWithStepsSchema } from "@/lib/runs/run-responses";
import { useEditorStoreApi } from "./editor-context";
import type { StepRunView } from "./editor-store";

const POLL_MS = 700;
const RUNS_PATH = "/api/v1/runs/";

type Report = (message: { tone: "ok" | "error"; text: string }) => void;

/** Returns `follow(runId)`; `report` hears once how the run ended, or why it could not be read. */
export function useTestRunProgress(report: Report): (runId: string) => void {
  const store = useEditorStoreApi();
  const [runId, setRunId] = useState<string | null>(null);
  // An answer for an earlier run can arrive after a new one started: stop only the run it is about.
  const stop = (id: string) => setRunId((current) => (current === id ? null : current));
  useApi(runId ? `${RUNS_PATH}${runId}` : null, runWithStepsSchema, {
    refreshInterval: POLL_MS,
    shouldRetryOnError: false,
    onError: (error, key) => {
      stop(key.slice(RUNS_PATH.length));
      report({ tone: "error", text: error.message });
    },
    onSuccess: (run) => {
      // A newer test run (or none) replaced this one on the canvas: stop following it.
      if (store.getState().testRun?.runId !== run.id) return stop(run.id);
      const steps: Record<string, StepRunView> = {};
      // Steps come oldest first, so the latest attempt of each node wins; in a loop, a failed item's step stays shown.
      const failedItem = new Map<string, number>();
      for (const step of run.steps) {
        const failed = failedItem.get(step.nodeId);
        if (step.itemIndex !== null && failed !== undefined && failed !== step.itemIndex) continue;
        if (step.itemIndex !== null && step.status === "failed") failedItem.set(step.nodeId, step.itemIndex);
        else failedItem.delete(step.nodeId);
        steps[step.nodeId] = { status: step.status, durationMs: step.durationMs, attempt: step.attempt, input: step.input, output: step.output, error: step.error };
      }
      store.getState().setTestRun({ runId: run.id, status: run.status, steps });
      if (!isFinishedRunStatus(run.status)) return;
      stop(run.id);
      report({ tone: run.status === "succeeded" ? "ok" : "error", text: `Test run ${run.status}.` });
    },
  });
  return setRunId;
}
