// POST /api/v1/runs/dismiss – remove failed runs from the dead-letter view
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/route";
import { dismissRuns } from "@/lib/runs/query-runs";

const input = z.object({ runIds: z.array(z.string().min(1)).min(1).max(500) });

export const POST = apiRoute("write", async ({ req, caller, db }) => ({
  dismissed: await dismissRuns(db.prisma, caller.workspaceId, (await readJson(req, input)).runIds),
}));
