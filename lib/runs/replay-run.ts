// Server-only: replays of earlier runs. "full" starts again from the trigger on the original
// or the current version; "failed-only" reruns on the original version, reusing the outputs of
// nodes that succeeded before (the run-workflow function reads them from the original run).
import type { PrismaClient } from "@/lib/db/client";
import { startRun, StartRunError, type StartedRun } from "./start-run";

export interface ReplayInput {
  workspaceId: string;
  runId: string;
  mode: "full" | "failed-only";
  /** Which graph: the version the run used, or the flow's active version now. */
  version: "original" | "current";
}

export async function replayRun(prisma: PrismaClient, input: ReplayInput): Promise<StartedRun> {
  const original = await prisma.run.findFirst({ where: { id: input.runId, workspaceId: input.workspaceId } });
  if (!original) throw new StartRunError(`Run ${input.runId} not found in this workspace`, "not_found");
  if (input.mode === "failed-only") {
    if (!["failed", "cancelled"].includes(original.status)) {
      throw new StartRunError(`Only failed or cancelled runs can retry their failed part; run ${original.id} is ${original.status}`, "invalid_request");
    }
    if (input.version === "current") {
      throw new StartRunError("Retrying only the failed part needs the original version (reused outputs belong to it); replay from the start to use the current version", "invalid_request");
    }
  }
  return startRun(prisma, {
    workspaceId: input.workspaceId,
    flowId: original.flowId,
    source: { type: "version", flowVersionId: input.version === "original" ? original.flowVersionId : undefined },
    trigger: original.triggerPayload,
    replayOfId: original.id,
    replayMode: input.mode,
  });
}

/** Bulk replay (e.g. all failed runs of a flow in a time range); failures are reported per run. */
export async function replayRuns(
  prisma: PrismaClient,
  input: Omit<ReplayInput, "runId"> & { runIds: string[] },
): Promise<{ runId: string; replay?: StartedRun; error?: string }[]> {
  const results: { runId: string; replay?: StartedRun; error?: string }[] = [];
  for (const runId of input.runIds) {
    try {
      results.push({ runId, replay: await replayRun(prisma, { ...input, runId }) });
    } catch (error) {
      results.push({ runId, error: (error as Error).message });
    }
  }
  return results;
}
