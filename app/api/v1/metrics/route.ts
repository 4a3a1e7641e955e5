// GET /api/v1/metrics – runs, success rate, durations, failures by node, deliveries over a window
import { apiRoute, readQuery } from "@/lib/api/route";
import { metricsQuery, runMetrics } from "@/lib/runs/run-metrics";

export const GET = apiRoute("read", async ({ req, caller, db }) => runMetrics(db.prisma, caller.workspaceId, readQuery(req, metricsQuery)));
