// GET /api/v1/runs – run history: filter by flow, status, time range; search; cursor pagination
import { apiRoute, readQuery } from "@/lib/api/route";
import { listRuns, listRunsQuery } from "@/lib/runs/query-runs";

export const GET = apiRoute("read", async ({ req, caller, db }) => listRuns(db.prisma, caller.workspaceId, readQuery(req, listRunsQuery)));
