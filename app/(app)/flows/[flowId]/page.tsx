import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FlowActions } from "@/components/flows/flow-actions";
import { FlowStatusBadge } from "@/components/flows/flow-status-badge";
import { Card, CardHeader } from "@/components/ui/card";
import { ApiError } from "@/lib/api/errors";
import { requirePageCaller } from "@/lib/auth/page-session";
import { roleCan } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { getFlow } from "@/lib/flows/manage-flows";
import { listFlowVersions } from "@/lib/flows/publish-flow";

export const metadata: Metadata = { title: "Flow" };
export const dynamic = "force-dynamic";

export default async function FlowPage({ params }: { params: Promise<{ flowId: string }> }) {
  const { flowId } = await params;
  const caller = await requirePageCaller(`/flows/${flowId}`);
  const db = await getDatabase();
  const flow = await getFlow(db.prisma, caller.workspaceId, flowId).catch((error) => {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  });
  const versions = await listFlowVersions(db.prisma, caller.workspaceId, flowId);

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link href="/flows" className="hover:text-slate-800">
          Flows
        </Link>{" "}
        / <span className="text-slate-800">{flow.name}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{flow.name}</h1>
            <FlowStatusBadge status={flow.status} />
          </div>
          {flow.description ? <p className="mt-1 text-sm text-slate-500">{flow.description}</p> : null}
        </div>
        {roleCan(caller.role, "write") ? (
          <FlowActions flowId={flow.id} status={flow.status} published={Boolean(flow.activeVersion)} hasNodes={flow.graph.nodes.length > 0} />
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Draft" description={`Revision ${flow.draftRevision} · ${flow.graph.nodes.length} steps, ${flow.graph.edges.length} connections`} />
          {flow.graph.nodes.length === 0 ? (
            <p className="px-5 py-10 text-center text-sm text-slate-500">
              This flow has no steps yet. Start with a webhook trigger, then add the actions it should run.
            </p>
          ) : (
            <ol className="divide-y divide-slate-100">
              {flow.graph.nodes.map((node) => (
                <li key={node.id} className="flex items-center justify-between px-5 py-3 text-sm">
                  <span className="font-medium">{node.name || node.id}</span>
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{node.kind}</code>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card>
          <CardHeader title="Versions" description="Each publish freezes the draft; runs use the version they started on." />
          {versions.length === 0 ? (
            <p className="px-5 py-6 text-sm text-slate-500">Not published yet.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {versions.map((v) => (
                <li key={v.id} className="px-5 py-3 text-sm">
                  <div className="flex items-center justify-between">
                    <span className="font-medium">v{v.version}</span>
                    {flow.activeVersion?.id === v.id ? <span className="text-xs font-medium text-emerald-700">live</span> : null}
                  </div>
                  <div className="text-xs text-slate-500">
                    <time dateTime={v.publishedAt.toISOString()}>{v.publishedAt.toLocaleString()}</time>
                    {v.note ? ` · ${v.note}` : ""}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
