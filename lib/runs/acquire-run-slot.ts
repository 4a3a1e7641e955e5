// Server-only: the per-flow concurrency gate. A run becomes "running" only while fewer than the
// flow's maxConcurrentRuns runs are running; the check and the update happen under a
// transaction-scoped advisory lock per flow so two runs cannot take the last slot together.
import type { PrismaClient } from "@/lib/db/client";

export async function acquireRunSlot(prisma: PrismaClient, input: { runId: string; flowId: string; limit: number }): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    // The outer SELECT hides pg_advisory_xact_lock's void result, which Prisma cannot read.
    await tx.$queryRawUnsafe(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS lock`, `switchyard:run-slot:${input.flowId}`);
    const running = await tx.run.count({ where: { flowId: input.flowId, status: "running", id: { not: input.runId } } });
    if (running >= input.limit) return false;
    const updated = await tx.run.updateMany({ where: { id: input.runId, status: { in: ["queued", "running"] } }, data: { status: "running", startedAt: new Date() } });
    return updated.count === 1;
  });
}

/** Wait before checking for a free slot again: 1 s doubling to 30 s. */
export function slotRetryDelayMs(check: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(check, 5));
}
