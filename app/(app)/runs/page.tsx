import type { Metadata } from "next";
import { Suspense } from "react";
import { RunsTable } from "@/components/runs/runs-table";
import { requirePageCaller } from "@/lib/auth/page-session";
import { getDatabase } from "@/lib/db";

export const metadata: Metadata = { title: "Runs" };
export const dynamic = "force-dynamic";

export default async function RunsPage() {
  const caller = await requirePageCaller("/runs");
  const db = await getDatabase();
  const flows = await db.prisma.flow.findMany({ where: { workspaceId: caller.workspaceId }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Runs</h1>
        <p className="mt-1 text-sm text-slate-500">Every run of every flow in this workspace, newest first. Click a run to see each step.</p>
      </div>
      <Suspense>
        <RunsTable flows={flows} />
      </Suspense>
    </div>
  );
}
