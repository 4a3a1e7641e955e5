// Server-only: the response a synchronous webhook endpoint should answer with, once the run's
// Respond node has produced it.
import type { PrismaClient } from "@/lib/db/client";

export interface SyncResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type SyncResponseState =
  | { state: "pending" }
  | { state: "ready"; response: SyncResponse }
  /** The run finished without reaching a Respond node (or failed). */
  | { state: "finished"; runStatus: string; error: unknown };

export async function getSyncResponse(prisma: PrismaClient, input: { workspaceId: string; runId: string }): Promise<SyncResponseState> {
  const step = await prisma.runStep.findFirst({
    where: { runId: input.runId, nodeKind: "respond", status: "succeeded", run: { workspaceId: input.workspaceId } },
    orderBy: { finishedAt: "asc" },
    select: { output: true },
  });
  if (step?.output && typeof step.output === "object") return { state: "ready", response: step.output as unknown as SyncResponse };
  const run = await prisma.run.findFirst({ where: { id: input.runId, workspaceId: input.workspaceId }, select: { status: true, error: true } });
  if (!run) return { state: "finished", runStatus: "missing", error: { message: "Run not found" } };
  if (["succeeded", "failed", "cancelled", "skipped"].includes(run.status)) return { state: "finished", runStatus: run.status, error: run.error };
  return { state: "pending" };
}

/** Polls until the response is ready, the run ends, or the timeout passes. */
export async function waitForSyncResponse(
  prisma: PrismaClient,
  input: { workspaceId: string; runId: string; timeoutMs: number; pollMs?: number },
): Promise<SyncResponseState> {
  const deadline = Date.now() + input.timeoutMs;
  for (;;) {
    const state = await getSyncResponse(prisma, input);
    if (state.state !== "pending" || Date.now() >= deadline) return state;
    await new Promise((resolve) => setTimeout(resolve, Math.min(input.pollMs ?? 100, Math.max(1, deadline - Date.now()))));
  }
}
