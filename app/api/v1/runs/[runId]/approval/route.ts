// POST /api/v1/runs/:runId/approval – approve or reject the approval step a run is waiting on
import { apiRoute, readJson } from "@/lib/api/route";
import { decideApproval } from "@/lib/runs/control-runs";
import { approvalInput } from "@/lib/runs/run-inputs";

export const POST = apiRoute<{ runId: string }>("write", async ({ req, caller, db, params }) => {
  const body = await readJson(req, approvalInput);
  await decideApproval(db.prisma, { workspaceId: caller.workspaceId, runId: params.runId, decidedBy: caller.userId, ...body });
  return { decided: body.decision };
});
