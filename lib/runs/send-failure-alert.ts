// Server-only: after a run fails for good, decides whether the flow's alert rule fires
// (first failure after a success, or N failures in a row), rate-limits, sends through the
// chosen credential and records an AlertNotification.
//
// Each streak of failures (named by the last finished run before it that did not fail) alerts at
// most once, as soon as it reaches the threshold, and at most one alert goes out per cool-down
// window. Whether this failure is the one that alerts is claimed with one conditional upsert on
// FlowAlertState, so concurrent failures, in whatever order they finish, send exactly one alert.
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

  const rule = alerts.rule;
  const { streakKey, streak } = await currentStreak(prisma, input);
  if (streak < (rule === "first_failure" ? 1 : alerts.threshold)) return { status: "rule_not_met" };

  const record = (status: string, error: string | null) =>
    prisma.alertNotification.create({ data: { workspaceId: input.workspaceId, flowId: input.flowId, runId: input.runId, rule, credentialId: alerts.credentialId ?? null, status, error } });
  if (!(await claimStreak(prisma, input, streakKey, alerts.minIntervalMinutes))) {
    // Already alerted (another failure of this streak won the claim), or inside the cool-down: that is noted once per streak.
    if (!(await noteSuppressed(prisma, input, streakKey))) return { status: "rule_not_met" };
    return { status: "rate_limited", alertId: (await record("rate_limited", `An alert was already sent in the last ${alerts.minIntervalMinutes} minutes`)).id };
  }

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
    // A later failure of this streak may try again once the cool-down has passed.
    await prisma.$executeRaw`UPDATE "FlowAlertState" SET "alertedStreak" = NULL WHERE "flowId" = ${input.flowId} AND "workspaceId" = ${input.workspaceId} AND "alertedStreak" = ${streakKey}`;
    return { status: "failed", alertId: (await record("failed", scrub((error as Error).message, secrets))).id };
  }
}

type FlowRef = { workspaceId: string; flowId: string };

/** The current streak: failed production runs that finished after the last one that did not fail, and that run's id ("" for none). */
async function currentStreak(prisma: PrismaClient, flow: FlowRef): Promise<{ streakKey: string; streak: number }> {
  const [row] = await prisma.$queryRaw<{ streakKey: string; streak: number }[]>`
    WITH last_ok AS (
      SELECT id, "finishedAt" FROM "Run"
       WHERE "flowId" = ${flow.flowId} AND "workspaceId" = ${flow.workspaceId} AND NOT "isTest" AND status IN ('succeeded', 'skipped') AND "finishedAt" IS NOT NULL
       ORDER BY "finishedAt" DESC, id DESC LIMIT 1)
    SELECT COALESCE((SELECT id FROM last_ok), '') AS "streakKey",
      (SELECT count(*)::int FROM "Run"
        WHERE "flowId" = ${flow.flowId} AND "workspaceId" = ${flow.workspaceId} AND NOT "isTest" AND status = 'failed'
          AND "finishedAt" > COALESCE((SELECT "finishedAt" FROM last_ok), '-infinity'::timestamp)) AS streak`;
  return row;
}

/** Marks the streak alerted unless it already is or the last alert is within the cool-down; true when this call won. */
async function claimStreak(prisma: PrismaClient, flow: FlowRef, streakKey: string, minIntervalMinutes: number): Promise<boolean> {
  const claimed = await prisma.$queryRaw<unknown[]>`
    INSERT INTO "FlowAlertState" ("flowId", "workspaceId", "alertedStreak", "lastAlertAt")
    VALUES (${flow.flowId}, ${flow.workspaceId}, ${streakKey}, now() AT TIME ZONE 'UTC')
    ON CONFLICT ("flowId") DO UPDATE SET "alertedStreak" = EXCLUDED."alertedStreak", "lastAlertAt" = EXCLUDED."lastAlertAt"
     WHERE "FlowAlertState"."workspaceId" = EXCLUDED."workspaceId"
       AND "FlowAlertState"."alertedStreak" IS DISTINCT FROM EXCLUDED."alertedStreak"
       AND ("FlowAlertState"."lastAlertAt" IS NULL OR "FlowAlertState"."lastAlertAt" <= EXCLUDED."lastAlertAt" - make_interval(mins => ${minIntervalMinutes}::int))
    RETURNING 1 AS claimed`;
  return claimed.length > 0;
}

/** Marks a streak the cool-down held back; true the first time for that streak. */
async function noteSuppressed(prisma: PrismaClient, flow: FlowRef, streakKey: string): Promise<boolean> {
  const noted = await prisma.$queryRaw<unknown[]>`
    UPDATE "FlowAlertState" SET "suppressedStreak" = ${streakKey}
     WHERE "flowId" = ${flow.flowId} AND "workspaceId" = ${flow.workspaceId}
       AND "alertedStreak" IS DISTINCT FROM ${streakKey} AND "suppressedStreak" IS DISTINCT FROM ${streakKey}
    RETURNING 1 AS noted`;
  return noted.length > 0;
}
