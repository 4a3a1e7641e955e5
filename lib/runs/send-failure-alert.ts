// Server-only: after a run fails for good, decides whether the flow's alert rule fires
// (first failure after a success, or N failures in a row), rate-limits, sends through the
// chosen credential and records an AlertNotification either way.
import type { PrismaClient } from "@/lib/db/client";
import { resolveCredential, secretStringsOf } from "@/lib/credentials/resolve-credential";
import { parseFlowSettings } from "@/lib/flows/flow-settings";
import { guardedSmtpTransport } from "@/lib/net/smtp-transport";
import { guardedRequest } from "@/lib/net/guarded-request";
import { scrub } from "./prepare-for-storage";

export type AlertOutcome = { status: "not_configured" | "rule_not_met" } | { status: "sent" | "failed" | "rate_limited"; alertId: string };

export async function sendFailureAlert(prisma: PrismaClient, input: { workspaceId: string; flowId: string; runId: string; appUrl?: string }): Promise<AlertOutcome> {
  const flow = await prisma.flow.findFirst({ where: { id: input.flowId, workspaceId: input.workspaceId }, select: { name: true, settings: true, workspace: { select: { allowedHosts: true } } } });
  if (!flow) return { status: "not_configured" };
  const { alerts } = parseFlowSettings(flow.settings);
  if (!alerts.enabled || !alerts.credentialId) return { status: "not_configured" };

  // Consecutive failures among finished production runs, newest first.
  const recent = await prisma.run.findMany({
    where: { flowId: input.flowId, workspaceId: input.workspaceId, isTest: false, status: { in: ["succeeded", "failed", "skipped"] } },
    orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
    take: Math.max(alerts.threshold, 1) + 1,
    select: { id: true, status: true },
  });
  let streak = 0;
  for (const run of recent) {
    if (run.status !== "failed") break;
    streak++;
  }
  const rule = alerts.rule;
  const fires = rule === "first_failure" ? streak === 1 : streak === alerts.threshold;
  if (!fires) return { status: "rule_not_met" };

  const since = new Date(Date.now() - alerts.minIntervalMinutes * 60_000);
  const lastSent = await prisma.alertNotification.findFirst({ where: { flowId: input.flowId, workspaceId: input.workspaceId, status: "sent", createdAt: { gte: since } }, select: { id: true } });
  const record = (status: string, error: string | null) =>
    prisma.alertNotification.create({ data: { workspaceId: input.workspaceId, flowId: input.flowId, runId: input.runId, rule, credentialId: alerts.credentialId ?? null, status, error } });
  if (lastSent) return { status: "rate_limited", alertId: (await record("rate_limited", `An alert was already sent in the last ${alerts.minIntervalMinutes} minutes`)).id };

  const run = await prisma.run.findFirst({ where: { id: input.runId, workspaceId: input.workspaceId }, select: { error: true } });
  const reason = (run?.error as { message?: string } | null)?.message ?? "unknown error";
  const link = input.appUrl ? `${input.appUrl.replace(/\/$/, "")}/runs/${input.runId}` : `run ${input.runId}`;
  const text =
    rule === "first_failure"
      ? `Switchyard: flow "${flow.name}" failed (${link}): ${reason}`
      : `Switchyard: flow "${flow.name}" failed ${streak} times in a row (latest ${link}): ${reason}`;

  let secrets: string[] = [];
  try {
    const credential = await resolveCredential(prisma, {
      workspaceId: input.workspaceId,
      id: alerts.credentialId,
      types: ["slack_webhook", "discord_webhook", "teams_webhook", "http_webhook", "smtp"] as const,
    });
    secrets = secretStringsOf(credential.type, credential.data);
    const allowedHosts = flow.workspace.allowedHosts;
    const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await guardedRequest({ method: "POST", url, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), timeoutMs: 15_000, allowedHosts });
      if (response.status >= 300) throw new Error(`alert target answered HTTP ${response.status}`);
    };
    const data = credential.data as Record<string, unknown>;
    switch (credential.type) {
      case "slack_webhook":
        await post(String(data.url), { text });
        break;
      case "discord_webhook":
        await post(String(data.url), { content: text.slice(0, 2000) });
        break;
      case "teams_webhook":
        await post(String(data.url), { "@type": "MessageCard", "@context": "https://schema.org/extensions", summary: "Switchyard alert", text });
        break;
      case "http_webhook":
        await post(String(data.url), { type: "flow.failed", flowId: input.flowId, flowName: flow.name, runId: input.runId, rule, consecutiveFailures: streak, error: reason, text }, data.headers as Record<string, string>);
        break;
      case "smtp": {
        if (!alerts.emailTo) throw new Error("The alert credential is SMTP but no recipient (emailTo) is set");
        const smtp = data as { host: string; port: number; secure: boolean; user: string; password: string; from: string };
        const transport = await guardedSmtpTransport(smtp, allowedHosts);
        try {
          await transport.sendMail({ from: smtp.from, to: alerts.emailTo, subject: `Switchyard: flow "${flow.name}" failed`, text });
        } finally {
          transport.close();
        }
        break;
      }
    }
    return { status: "sent", alertId: (await record("sent", null)).id };
  } catch (error) {
    return { status: "failed", alertId: (await record("failed", scrub((error as Error).message, secrets))).id };
  }
}
