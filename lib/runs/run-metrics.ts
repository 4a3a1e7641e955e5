// Run and delivery metrics for a workspace or one flow over a time window, computed by SQL aggregates.
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { runMetricsSchema } from "./run-responses";

export const metricsQuery = z.object({
  flowId: z.string().min(1).optional(),
  /** Window length: 1h, 24h, 7d or 30d. */
  window: z.enum(["1h", "24h", "7d", "30d"]).default("24h"),
});
export type MetricsQuery = z.infer<typeof metricsQuery>;

const WINDOWS = {
  "1h": { ms: 3_600_000, bucket: "minute" },
  "24h": { ms: 86_400_000, bucket: "hour" },
  "7d": { ms: 7 * 86_400_000, bucket: "hour" },
  "30d": { ms: 30 * 86_400_000, bucket: "day" },
} as const;

/** GET /metrics as the server hands it over (Dates, not yet ISO strings); the shape is lib/runs/run-responses.ts. */
export type RunMetricsRecord = z.input<typeof runMetricsSchema>;

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const maybeNum = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));

export async function runMetrics(prisma: PrismaClient, workspaceId: string, query: MetricsQuery, now = new Date()): Promise<RunMetricsRecord> {
  const { ms, bucket } = WINDOWS[query.window];
  const since = new Date(now.getTime() - ms);
  const runScope = Prisma.sql`"workspaceId" = ${workspaceId} AND "isTest" = false AND "createdAt" >= ${since}
    ${query.flowId ? Prisma.sql`AND "flowId" = ${query.flowId}` : Prisma.empty}`;

  const [totals, series, failures, deliveries] = await Promise.all([
    prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT count(*) AS total,
             count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
             count(*) FILTER (WHERE status = 'failed') AS failed,
             count(*) FILTER (WHERE status IN ('queued', 'running', 'waiting')) AS running,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs") AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY "durationMs") AS p95
      FROM "Run" WHERE ${runScope}`,
    prisma.$queryRaw<{ bucket: Date; succeeded: unknown; failed: unknown; other: unknown }[]>`
      SELECT date_trunc(${bucket}, "createdAt") AS bucket,
             count(*) FILTER (WHERE status = 'succeeded') AS succeeded,
             count(*) FILTER (WHERE status = 'failed') AS failed,
             count(*) FILTER (WHERE status NOT IN ('succeeded', 'failed')) AS other
      FROM "Run" WHERE ${runScope}
      GROUP BY 1 ORDER BY 1`,
    prisma.$queryRaw<{ nodeId: string | null; failures: unknown }[]>`
      SELECT error->>'nodeId' AS "nodeId", count(*) AS failures
      FROM "Run" WHERE ${runScope} AND status = 'failed'
      GROUP BY 1 ORDER BY 2 DESC LIMIT 20`,
    prisma.$queryRaw<{ verdict: string; count: unknown }[]>`
      SELECT d.verdict::text AS verdict, count(*) AS count
      FROM "WebhookDelivery" d
      ${query.flowId ? Prisma.sql`JOIN "Endpoint" e ON e.id = d."endpointId" AND e."flowId" = ${query.flowId}` : Prisma.empty}
      WHERE d."workspaceId" = ${workspaceId} AND d."receivedAt" >= ${since}
      GROUP BY 1`,
  ]);

  const t = totals[0] ?? {};
  const succeeded = num(t.succeeded);
  const failed = num(t.failed);
  const byVerdict = Object.fromEntries(deliveries.map((d) => [d.verdict, num(d.count)]));
  return {
    window: query.window,
    since,
    runs: {
      total: num(t.total),
      succeeded,
      failed,
      running: num(t.running),
      successRate: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null,
    },
    durationMs: { p50: maybeNum(t.p50), p95: maybeNum(t.p95) },
    series: series.map((s) => ({ bucket: new Date(s.bucket), succeeded: num(s.succeeded), failed: num(s.failed), other: num(s.other) })),
    failuresByNode: failures.map((f) => ({ nodeId: f.nodeId ?? "(run)", failures: num(f.failures) })),
    deliveries: { accepted: byVerdict.accepted ?? 0, rejected: byVerdict.rejected ?? 0, duplicate: byVerdict.duplicate ?? 0 },
  };
}
