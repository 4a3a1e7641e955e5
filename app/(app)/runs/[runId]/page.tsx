import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunDetail } from "@/components/runs/run-detail";
import { AppError } from "@/lib/errors";
import { requirePageCaller } from "@/lib/auth/page-session";
import { roleCan } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { getRun } from "@/lib/runs/query-runs";

export const metadata: Metadata = { title: "Run" };
export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const caller = await requirePageCaller(`/runs/${runId}`);
  const db = await getDatabase();
  const run = await getRun(db.prisma, caller.workspaceId, runId).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  // getRun serialises through the run's response schema: the component gets what the API serves.
  return <RunDetail initial={run} canWrite={roleCan(caller.role, "write")} />;
}
