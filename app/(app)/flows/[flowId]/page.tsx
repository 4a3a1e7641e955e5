import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FlowBuilder } from "@/components/canvas/flow-builder";
import { AppError } from "@/lib/errors";
import { requirePageCaller } from "@/lib/auth/page-session";
import { roleCan } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { getFlow } from "@/lib/flows/manage-flows";

export const metadata: Metadata = { title: "Flow" };
export const dynamic = "force-dynamic";

export default async function FlowPage({ params }: { params: Promise<{ flowId: string }> }) {
  const { flowId } = await params;
  const caller = await requirePageCaller(`/flows/${flowId}`);
  const db = await getDatabase();
  const flow = await getFlow(db.prisma, caller.workspaceId, flowId).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  // The sample payload feeds the variable picker; it is not part of the flow API's summary.
  const sample = await db.prisma.flow.findFirst({ where: { id: flowId, workspaceId: caller.workspaceId }, select: { samplePayload: true } });

  return (
    <FlowBuilder
      init={{
        flowId: flow.id,
        graph: flow.graph,
        revision: flow.draftRevision,
        readOnly: !roleCan(caller.role, "write"),
        samplePayload: sample?.samplePayload ?? null,
      }}
      flow={{
        id: flow.id,
        name: flow.name,
        status: flow.status,
        activeVersion: flow.activeVersion ? { id: flow.activeVersion.id, version: flow.activeVersion.version } : null,
      }}
    />
  );
}
