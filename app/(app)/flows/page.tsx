import type { Metadata } from "next";
import { FlowsList } from "@/components/flows/flows-list";
import { NewFlowButton } from "@/components/flows/new-flow-button";
import { requirePageCaller } from "@/lib/auth/page-session";
import { roleCan } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { flowListSchema } from "@/lib/flows/flow-responses";
import { listFlows } from "@/lib/flows/manage-flows";

export const metadata: Metadata = { title: "Flows" };
export const dynamic = "force-dynamic";

export default async function FlowsPage() {
  const caller = await requirePageCaller("/flows");
  const db = await getDatabase();
  const flows = await listFlows(db.prisma, caller.workspaceId);
  const canWrite = roleCan(caller.role, "write");
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Flows</h1>
          <p className="mt-1 text-sm text-slate-500">Each flow turns the webhooks its trigger receives into durable, retried runs.</p>
        </div>
        {canWrite && flows.length > 0 ? <NewFlowButton /> : null}
      </div>
      <FlowsList
        canWrite={canWrite}
        flows={flowListSchema.parse({ flows }).flows}
      />
    </div>
  );
}
