import type { Metadata } from "next";
import { Suspense } from "react";
import { DeliveriesView } from "@/components/deliveries/deliveries-view";
import { requirePageCaller } from "@/lib/auth/page-session";
import { roleCan } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { parseFlowGraph } from "@/lib/flows/graph";

export const metadata: Metadata = { title: "Deliveries" };
export const dynamic = "force-dynamic";

export default async function DeliveriesPage() {
  const caller = await requirePageCaller("/deliveries");
  const db = await getDatabase();
  const endpoints = await db.prisma.endpoint.findMany({
    where: { workspaceId: caller.workspaceId },
    orderBy: { createdAt: "asc" },
    select: { id: true, nodeId: true, enabled: true, flow: { select: { name: true, draftGraph: true } } },
  });
  const options = endpoints.map((e) => {
    const node = parseFlowGraph(e.flow.draftGraph).nodes.find((n) => n.id === e.nodeId);
    return { id: e.id, label: `${e.flow.name} → ${node?.name || e.nodeId}${e.enabled ? "" : " (disabled)"}` };
  });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Deliveries</h1>
        <p className="mt-1 text-sm text-slate-500">Every request your webhook URLs received — accepted, refused with the reason, or recognised as a duplicate.</p>
      </div>
      <Suspense>
        <DeliveriesView endpoints={options} canWrite={roleCan(caller.role, "write")} />
      </Suspense>
    </div>
  );
}
