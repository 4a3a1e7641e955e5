// Server-only: the run a call_flow step starts, through the normal start-run path: another
// published flow of the same workspace, linked to the step (Run.parentRunId/parentNodeId), one per
// parent run and node so a repeated step finds the run it started instead of starting a second.
import type { PrismaClient } from "@/lib/db/client";
import { NodeError } from "@/lib/nodes/node-runner";
import type { RunRequestedData } from "@/lib/runs/run-events";
import { isUniqueViolation } from "./is-unique-violation";
import { startRun, StartRunError } from "./start-run";

/**
 * How deep flows may call flows (a trigger's run is depth 0, the flow it calls depth 1, …). Publish
 * refuses flows that call each other in a cycle; this stops what slips past that at run time.
 */
export const MAX_CALL_DEPTH = 5;

export interface ChildRunRequest {
  flowId: string;
  /** The called flow's trigger body. */
  input: unknown;
  /** Whether the caller waits for it (and starts it with step.invoke) or the outbox starts it. */
  wait: boolean;
}

export interface ChildRun {
  runId: string;
  flowName: string;
  request: RunRequestedData;
}

export async function startChildRun(prisma: PrismaClient, parent: { runId: string; workspaceId: string; nodeId: string }, request: ChildRunRequest): Promise<ChildRun> {
  const started = await findChildRun(prisma, parent);
  if (started) return started;
  const parentRun = await prisma.run.findUnique({ where: { id: parent.runId }, select: { callDepth: true } });
  const callDepth = (parentRun?.callDepth ?? 0) + 1;
  if (callDepth > MAX_CALL_DEPTH) {
    throw new NodeError(`Flows may call flows at most ${MAX_CALL_DEPTH} levels deep, and this run is already ${callDepth - 1} calls down: check for flows that call each other`, {
      retryable: false,
      code: "call_depth_exceeded",
    });
  }
  const flow = await prisma.flow.findFirst({ where: { id: request.flowId, workspaceId: parent.workspaceId }, select: { name: true } });
  // Another workspace's flow reads as missing: its existence is not this workspace's business.
  if (!flow) throw new NodeError(`The called flow ${request.flowId} does not exist in this workspace`, { retryable: false, code: "flow_not_found" });
  try {
    const run = await startRun(prisma, {
      workspaceId: parent.workspaceId,
      flowId: request.flowId,
      source: { type: "version" },
      trigger: { body: request.input ?? {}, headers: {}, query: {}, method: "POST", receivedAt: new Date().toISOString() },
      parent: { runId: parent.runId, nodeId: parent.nodeId, callDepth },
      dispatch: !request.wait,
    });
    return { runId: run.runId, flowName: flow.name, request: { runId: run.runId, flowId: request.flowId, flowVersionId: run.flowVersionId, deliveryId: null } };
  } catch (error) {
    // The same step running twice at once: the other one's run stands.
    if (isUniqueViolation(error)) {
      const other = await findChildRun(prisma, parent);
      if (other) return other;
    }
    if (error instanceof StartRunError) throw new NodeError(`Cannot call flow "${flow.name}": ${error.message}`, { retryable: false, code: error.code });
    throw error;
  }
}

async function findChildRun(prisma: PrismaClient, parent: { runId: string; nodeId: string }): Promise<ChildRun | null> {
  const run = await prisma.run.findFirst({
    where: { parentRunId: parent.runId, parentNodeId: parent.nodeId },
    select: { id: true, flowId: true, flowVersionId: true, flow: { select: { name: true } } },
  });
  return run ? { runId: run.id, flowName: run.flow.name, request: { runId: run.id, flowId: run.flowId, flowVersionId: run.flowVersionId, deliveryId: null } } : null;
}
