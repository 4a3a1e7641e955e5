// Server-only: writes RunStep rows as a run progresses, one row per node attempt. Writes are
// upserts keyed by (run, node, attempt) because a step may execute twice.
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { prepareForStorage, serializeError } from "./prepare-for-storage";

type Json = Prisma.InputJsonValue;

export interface AttemptKey {
  runId: string;
  nodeId: string;
  nodeKind: string;
  attempt: number;
}

const where = (key: AttemptKey) => ({ runId_nodeId_attempt: { runId: key.runId, nodeId: key.nodeId, attempt: key.attempt } });

export async function recordAttemptStarted(prisma: PrismaClient, key: AttemptKey, startedAt: Date): Promise<void> {
  await prisma.runStep.upsert({
    where: where(key),
    create: { runId: key.runId, nodeId: key.nodeId, nodeKind: key.nodeKind, attempt: key.attempt, status: "running", startedAt },
    update: { status: "running", startedAt, finishedAt: null, durationMs: null, error: undefined },
  });
}

export async function recordAttemptSucceeded(
  prisma: PrismaClient,
  key: AttemptKey,
  details: { input: unknown; output: unknown; secrets: string[]; startedAt?: Date; reusedFromRunId?: string },
): Promise<void> {
  const input = prepareForStorage(details.input, { secrets: details.secrets });
  const output = prepareForStorage(details.output, { secrets: details.secrets });
  const finishedAt = new Date();
  const startedAt = details.startedAt ?? (await startedAtOf(prisma, key)) ?? finishedAt;
  const data = {
    status: "succeeded" as const,
    input: input.value as Json,
    output: output.value as Json,
    truncated: input.truncated || output.truncated,
    finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    nextRetryAt: null,
    reusedFromRunId: details.reusedFromRunId ?? null,
  };
  await prisma.runStep.upsert({ where: where(key), create: { ...key, ...data, startedAt }, update: data });
}

/** Marks the attempt waiting (sleep, event, approval) and its run with it. */
export async function recordAttemptWaiting(prisma: PrismaClient, key: AttemptKey, details: { input: unknown; output: unknown; secrets: string[]; startedAt: Date }) {
  const input = prepareForStorage(details.input, { secrets: details.secrets });
  const output = prepareForStorage(details.output, { secrets: details.secrets });
  const data = { status: "waiting" as const, input: input.value as Json, output: output.value as Json, truncated: input.truncated || output.truncated };
  // One batch: a reader never sees the step waiting while its run still says running.
  await prisma.$transaction([
    prisma.runStep.upsert({ where: where(key), create: { ...key, ...data, startedAt: details.startedAt }, update: data }),
    prisma.run.updateMany({ where: { id: key.runId, status: "running" }, data: { status: "waiting" } }),
  ]);
}

export async function recordAttemptFailed(
  prisma: PrismaClient,
  key: AttemptKey,
  details: { input: unknown; error: unknown; secrets: string[]; startedAt?: Date; nextRetryAt: Date | null },
): Promise<Record<string, unknown>> {
  const input = prepareForStorage(details.input, { secrets: details.secrets });
  const error = serializeError(details.error, details.secrets);
  error.retryable = details.nextRetryAt !== null;
  const finishedAt = new Date();
  const startedAt = details.startedAt ?? (await startedAtOf(prisma, key)) ?? finishedAt;
  const data = {
    status: "failed" as const,
    input: input.value as Json,
    error: error as Json,
    truncated: input.truncated,
    finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    nextRetryAt: details.nextRetryAt,
  };
  await prisma.runStep.upsert({ where: where(key), create: { ...key, ...data, startedAt }, update: data });
  return error;
}

/** Nodes that did not run: inactive branches, other triggers, or below a failed node. */
export async function recordSkipped(prisma: PrismaClient, runId: string, nodes: { nodeId: string; nodeKind: string; reason: string }[]): Promise<void> {
  if (nodes.length === 0) return;
  const now = new Date();
  await prisma.runStep.createMany({
    data: nodes.map((node) => ({
      runId,
      nodeId: node.nodeId,
      nodeKind: node.nodeKind,
      attempt: 1,
      status: "skipped" as const,
      output: { skipped: node.reason } as Json,
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
    })),
    skipDuplicates: true,
  });
}

async function startedAtOf(prisma: PrismaClient, key: AttemptKey): Promise<Date | undefined> {
  const row = await prisma.runStep.findUnique({ where: where(key), select: { startedAt: true } });
  return row?.startedAt;
}
