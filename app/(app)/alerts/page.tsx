import type { Metadata } from "next";
import Link from "next/link";
import { FlowAlertForm } from "@/components/alerts/flow-alert-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { requirePageCaller } from "@/lib/auth/page-session";
import { roleCan } from "@/lib/auth/roles";
import { listCredentials } from "@/lib/credentials";
import { getDatabase } from "@/lib/db";
import { parseFlowSettings } from "@/lib/flows/flow-settings";
import { listAlerts } from "@/lib/runs/list-alerts";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

const ALERT_CHANNELS = new Set(["slack_webhook", "discord_webhook", "teams_webhook", "http_webhook", "smtp"]);
const STATUS_TONE = { sent: "green", failed: "red", rate_limited: "amber" } as const;

export default async function AlertsPage() {
  const caller = await requirePageCaller("/alerts");
  const db = await getDatabase();
  const [flows, credentials, alerts] = await Promise.all([
    db.prisma.flow.findMany({ where: { workspaceId: caller.workspaceId }, orderBy: { name: "asc" }, select: { id: true, name: true, settings: true } }),
    listCredentials(db.prisma, caller.workspaceId),
    listAlerts(db.prisma, caller.workspaceId),
  ]);
  const channels = credentials.filter((c) => ALERT_CHANNELS.has(c.type)).map((c) => ({ id: c.id, name: c.name, type: c.type }));
  const canWrite = roleCan(caller.role, "write");

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Alerts</h1>
        <p className="mt-1 text-sm text-slate-500">Get told when a flow&apos;s runs fail for good — in Slack, Discord, Teams, email or any HTTP endpoint.</p>
      </div>
      <Card>
        <CardHeader
          title="Alert rules"
          description={channels.length ? "One rule per flow; alerts are rate-limited to one per hour per flow by default." : "Add a Slack, Discord, Teams, HTTP endpoint or SMTP credential (Settings → Credentials) to send alerts."}
        />
        <div className="divide-y divide-slate-100">
          {flows.map((flow) => (
            <FlowAlertForm key={flow.id} flowId={flow.id} flowName={flow.name} initial={parseFlowSettings(flow.settings).alerts} credentials={channels} canWrite={canWrite} />
          ))}
          {flows.length === 0 ? <p className="px-5 py-6 text-sm text-slate-500">No flows yet.</p> : null}
        </div>
      </Card>
      <Card>
        <CardHeader title="Alert history" />
        {alerts.length === 0 ? (
          <p className="px-5 py-6 text-sm text-slate-500">No alerts have fired.</p>
        ) : (
          <table className="w-full text-sm">
            <tbody className="divide-y divide-slate-100">
              {alerts.map((alert) => (
                <tr key={alert.id}>
                  <td className="px-5 py-2.5 text-slate-600">{alert.createdAt.toLocaleString()}</td>
                  <td className="px-5 py-2.5">{alert.flowName}</td>
                  <td className="px-5 py-2.5 text-slate-600">{alert.rule === "first_failure" ? "first failure" : "consecutive failures"}</td>
                  <td className="px-5 py-2.5">
                    <Badge tone={STATUS_TONE[alert.status as keyof typeof STATUS_TONE] ?? "gray"}>{alert.status.replace("_", " ")}</Badge>
                    {alert.error ? <div className="text-xs text-slate-500">{alert.error}</div> : null}
                  </td>
                  <td className="px-5 py-2.5">
                    {alert.runId ? (
                      <Link className="font-mono text-xs text-brand-700 hover:underline" href={`/runs/${alert.runId}`}>
                        {alert.runId}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
