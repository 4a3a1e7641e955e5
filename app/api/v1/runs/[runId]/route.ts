// GET /api/v1/runs/:runId – one run with its steps, trigger request and the flow version it ran
import { apiRoute } from "@/lib/api/route";
import { getRun } from "@/lib/runs/query-runs";

export const GET = apiRoute<{ runId: string }>("read", async ({ caller, db, params }) => getRun(db.prisma, caller.workspaceId, params.runId));
