import type { Metadata } from "next";
import { MetricsView } from "@/components/runs/metrics-view";
import { requirePageCaller } from "@/lib/auth/page-session";
import { getDatabase } from "@/lib/db";

export const metadata: Metadata = { title: "Metrics" };
export const dynamic = "force-dynamic";

export default async function MetricsPage() {
  const caller = await requirePageCaller("/metrics");
  const db = await getDatabase();
  const flows = await db.prisma.flow.findMany({ where: { workspaceId: caller.workspaceId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Metrics</h1>
        <p className="mt-1 text-sm text-slate-500">Runs, success rate, durations and deliveries for the chosen window.</p>
      </div>
      <MetricsView flows={flows} />
    </div>
  );
}
