// Server-only: cancel a run, decide a waiting approval, send an event to waiting runs. Each
// writes an outbox event so the engine hears about it even if the process stops right after.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import {
  APPROVAL_DECIDED,
  FLOW_EVENT,
  RUN_CANCEL_REQUESTED,
  type ApprovalDecidedData,
  type FlowEventData,
  type RunCancelRequestedData,
} from "./run-events";

export class RunControlError extends Error {
  constructor(message: string, readonly code: "not_found" | "conflict" | "invalid_request") {
    super(message);
    this.name = "RunControlError";
  }
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** Cancels a queued, running or waiting run. Returns false when it had already finished. */
export async function cancelRun(prisma: PrismaClient, input: { workspaceId: string; runId: string }): Promise<boolean> {
  const run = await prisma.run.findFirst({ where: { id: input.runId, workspaceId: input.workspaceId }, select: { id: true, startedAt: true, createdAt: true } });
  if (!run) throw new RunControlError(`Run ${input.runId} not found in this workspace`, "not_found");
  return prisma.$transaction(async (tx) => {
    const finishedAt = new Date();
    const updated = await tx.run.updateMany({
      where: { id: run.id, workspaceId: input.workspaceId, status: { in: ["queued", "running", "waiting"] } },
      data: { status: "cancelled", finishedAt, durationMs: finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime(), error: { message: "Cancelled by a user", code: "cancelled" } },
    });
    if (updated.count === 0) return false;
    await tx.runStep.updateMany({ where: { runId: run.id, status: { in: ["running", "waiting"] } }, data: { status: "cancelled", finishedAt } });
    const data: RunCancelRequestedData = { runId: run.id, workspaceId: input.workspaceId };
    await tx.outboxEvent.create({ data: { eventName: RUN_CANCEL_REQUESTED, eventId: `cancel-${run.id}`, data: json(data) } });
    return true;
  });
}

/** Approves or rejects the approval node a run is waiting on. */
export async function decideApproval(
  prisma: PrismaClient,
  input: { workspaceId: string; runId: string; nodeId: string; decision: "approve" | "reject"; decidedBy?: string | null; comment?: string },
): Promise<void> {
  const run = await prisma.run.findFirst({ where: { id: input.runId, workspaceId: input.workspaceId }, select: { id: true, status: true } });
  if (!run) throw new RunControlError(`Run ${input.runId} not found in this workspace`, "not_found");
  const step = await prisma.runStep.findFirst({ where: { runId: run.id, nodeId: input.nodeId, nodeKind: "approval", status: "waiting" } });
  if (!step) throw new RunControlError(`Run ${run.id} is not waiting for approval at node "${input.nodeId}" (already decided or timed out?)`, "conflict");
  const data: ApprovalDecidedData = {
    workspaceId: input.workspaceId,
    runId: run.id,
    nodeId: input.nodeId,
    decision: input.decision,
    decidedBy: input.decidedBy ?? null,
    comment: input.comment ?? "",
  };
  // One decision per waiting node: the event id makes a second click a no-op.
  const created = await prisma.outboxEvent.createMany({
    data: [{ eventName: APPROVAL_DECIDED, eventId: `approval-${run.id}-${input.nodeId}-${step.attempt}`, data: json(data) }],
    skipDuplicates: true,
  });
  if (created.count === 0) throw new RunControlError("This approval was already decided", "conflict");
}

/** Sends a named event to runs waiting in "Wait for event" nodes with the same correlation key. */
export async function sendFlowEvent(
  prisma: PrismaClient,
  input: { workspaceId: string; name: string; correlationKey: string; payload?: unknown; eventId?: string },
): Promise<{ eventId: string }> {
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(input.name)) throw new RunControlError("Event names may contain letters, digits, . _ : and - (100 characters max)", "invalid_request");
  if (!input.correlationKey) throw new RunControlError("correlationKey is required", "invalid_request");
  const eventId = input.eventId ? `flow-event-${input.workspaceId}-${input.eventId}` : `flow-event-${randomUUID()}`;
  const data: FlowEventData = { workspaceId: input.workspaceId, name: input.name, correlationKey: input.correlationKey, payload: input.payload ?? null };
  await prisma.outboxEvent.upsert({ where: { eventId }, create: { eventName: FLOW_EVENT, eventId, data: json(data) }, update: {} });
  return { eventId };
}
