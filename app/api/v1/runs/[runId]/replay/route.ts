// POST /api/v1/runs/:runId/replay – run again from the start, or only the failed part
import { apiRoute, created, readJson } from "@/lib/api/route";
import { replayInput } from "@/lib/runs/run-inputs";
import { replayRun } from "@/lib/runs/replay-run";

export const POST = apiRoute<{ runId: string }>("write", async ({ req, caller, db, params }) =>
  created(await replayRun(db.prisma, { workspaceId: caller.workspaceId, runId: params.runId, ...(await readJson(req, replayInput)) })),
);
