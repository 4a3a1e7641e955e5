// POST /api/v1/runs/dismiss – remove failed runs from the dead-letter view
import { apiRoute, readJson } from "@/lib/api/route";
import { dismissRuns } from "@/lib/runs/query-runs";
import { dismissRunsInput } from "@/lib/runs/run-inputs";

export const POST = apiRoute("write", async ({ req, caller, db }) => ({
  dismissed: await dismissRuns(db.prisma, caller.workspaceId, (await readJson(req, dismissRunsInput)).runIds),
}));
