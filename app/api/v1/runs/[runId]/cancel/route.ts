// POST /api/v1/runs/:runId/cancel – cancel a queued, running or waiting run
import { conflict } from "@/lib/errors";
import { apiRoute } from "@/lib/api/route";
import { cancelRun } from "@/lib/runs/control-runs";

export const POST = apiRoute<{ runId: string }>("write", async ({ caller, db, params }) => {
  if (!(await cancelRun(db.prisma, { workspaceId: caller.workspaceId, runId: params.runId }))) {
    throw conflict("The run has already finished; there is nothing to cancel");
  }
  return { cancelled: true };
});
