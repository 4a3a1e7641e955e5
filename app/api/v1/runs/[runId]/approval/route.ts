// POST /api/v1/runs/:runId/approval – approve or reject the approval step a run is waiting on
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/route";
import { decideApproval } from "@/lib/runs/control-runs";

const input = z.object({
  nodeId: z.string().min(1),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().max(2000).optional(),
});

export const POST = apiRoute<{ runId: string }>("write", async ({ req, caller, db, params }) => {
  const body = await readJson(req, input);
  await decideApproval(db.prisma, { workspaceId: caller.workspaceId, runId: params.runId, decidedBy: caller.userId, ...body });
  return { decided: body.decision };
});
