// Server-only: starts a run from the UI or API (test run of the draft, manual run of the
// published version, replay) or from a schedule. The Run row and the outbox event that asks the engine to execute
// it are written in one transaction; the outbox relay sends the event (id = run id).
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { parseFlowGraph } from "@/lib/flows/graph";
import { triggerExampleOf } from "@/lib/flows/trigger-example";
import { validateFlow } from "@/lib/flows/validate-flow";
import { RUN_REQUESTED, type RunRequestedData } from "./run-events";
import { isUniqueViolation } from "./is-unique-violation";
import type { z } from "zod";
import type { startedRunSchema } from "./run-responses";
import { toTriggerPayload } from "./trigger-payload";

export type RunSource =
  /** The flow's active published version, or a given version of it. */
  | { type: "version"; flowVersionId?: string }
  /** The current draft, snapshotted as a test FlowVersion; the run is marked isTest. */
  | { type: "draft" };

export interface StartRunInput {
  workspaceId: string;
  flowId: string;
  source: RunSource;
  /** Trigger payload ({ body, headers, query, method, receivedAt }) or just a body; defaults to the flow's sample payload. */
  trigger?: unknown;
  replayOfId?: string;
  replayMode?: "full" | "failed-only";
  /** A run a call_flow step starts (lib/runs/start-child-run.ts): linked to that step, one per parent run and node. */
  parent?: { runId: string; nodeId: string; callDepth: number };
  /** Whether the outbox relay sends run.requested (default); false when the caller starts the run itself (step.invoke). */
  dispatch?: boolean;
  /** A schedule's time: one run per flow and time, so starting the same time again returns that run. */
  scheduledFor?: Date;
}

/** What starting a run answers (POST /flows/:flowId/runs, POST /runs/:runId/replay). */
export type StartedRun = z.output<typeof startedRunSchema>;

export class StartRunError extends Error {
  constructor(message: string, readonly code: "not_found" | "not_published" | "no_manual_trigger" | "invalid_flow" | "invalid_request", readonly issues: unknown[] = []) {
    super(message);
    this.name = "StartRunError";
  }
}

export async function startRun(prisma: PrismaClient, input: StartRunInput): Promise<StartedRun> {
  const flow = await prisma.flow.findFirst({ where: { id: input.flowId, workspaceId: input.workspaceId } });
  if (!flow) throw new StartRunError(`Flow ${input.flowId} not found in this workspace`, "not_found");
  // No request given: the flow's sample, else its trigger kind's example (a schedule's time, a manual trigger's payload).
  const trigger = toTriggerPayload(input.trigger !== undefined ? input.trigger : (flow.samplePayload ?? triggerExampleOf(flow.draftGraph as Parameters<typeof triggerExampleOf>[0]) ?? {}));

  for (let attempt = 0; ; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        let flowVersionId: string;
        let isTest = false;
        if (input.source.type === "draft") {
          const issues = validateFlow(flow.draftGraph, { forPublish: true });
          if (issues.length) throw new StartRunError(`The draft has ${issues.length} problem(s); fix them before a test run: ${issues[0].message}`, "invalid_flow", issues);
          const lowest = await tx.flowVersion.findFirst({ where: { flowId: flow.id, version: { lt: 0 } }, orderBy: { version: "asc" }, select: { version: true } });
          const snapshot = await tx.flowVersion.create({
            data: {
              flowId: flow.id,
              workspaceId: flow.workspaceId,
              version: (lowest?.version ?? 0) - 1,
              graph: parseFlowGraph(flow.draftGraph) as Prisma.InputJsonValue,
              isTestSnapshot: true,
              note: "Test run of the draft",
            },
          });
          flowVersionId = snapshot.id;
          isTest = true;
        } else {
          const requested = input.source.flowVersionId ?? flow.activeVersionId;
          if (!requested) throw new StartRunError(`Flow "${flow.name}" has no published version yet: publish it or run a test of the draft`, "not_published");
          const version = await tx.flowVersion.findFirst({ where: { id: requested, flowId: flow.id, workspaceId: input.workspaceId } });
          if (!version) throw new StartRunError(`Version ${requested} does not belong to flow "${flow.name}"`, "not_found");
          flowVersionId = version.id;
          isTest = version.isTestSnapshot;
        }
        const run = await tx.run.create({
          data: {
            workspaceId: input.workspaceId,
            flowId: flow.id,
            flowVersionId,
            status: "queued",
            triggerPayload: trigger as unknown as Prisma.InputJsonValue,
            isTest,
            replayOfId: input.replayOfId ?? null,
            replayMode: input.replayMode ?? null,
            ...(input.parent ? { parentRunId: input.parent.runId, parentNodeId: input.parent.nodeId, callDepth: input.parent.callDepth } : {}),
            scheduledFor: input.scheduledFor ?? null,
          },
        });
        const data: RunRequestedData = { runId: run.id, flowId: flow.id, flowVersionId, deliveryId: null };
        if (input.dispatch !== false) await tx.outboxEvent.create({ data: { eventName: RUN_REQUESTED, eventId: run.id, data: data as unknown as Prisma.InputJsonValue } });
        return { runId: run.id, flowVersionId, isTest };
      });
    } catch (error) {
      // Two test runs racing for the same negative version number: take the next one.
      if (isUniqueViolation(error) && input.source.type === "draft" && attempt < 3) continue;
      if (isUniqueViolation(error) && input.scheduledFor) {
        const existing = await prisma.run.findFirst({ where: { flowId: flow.id, scheduledFor: input.scheduledFor }, select: { id: true, flowVersionId: true, isTest: true } });
        if (existing) return { runId: existing.id, flowVersionId: existing.flowVersionId, isTest: existing.isTest };
      }
      throw error;
    }
  }
}
