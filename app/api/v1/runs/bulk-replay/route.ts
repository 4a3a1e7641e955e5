// POST /api/v1/runs/bulk-replay – replay many runs (e.g. every failed run of a flow in a time range)
import { apiRoute, readJson } from "@/lib/api/route";
import { bulkReplayInput } from "@/lib/runs/run-inputs";
import { replayRuns } from "@/lib/runs/replay-run";

export const POST = apiRoute("write", async ({ req, caller, db }) => {
  const body = await readJson(req, bulkReplayInput);
  const results = await replayRuns(db.prisma, { workspaceId: caller.workspaceId, ...body });
  return { results: results.map((r) => ({ runId: r.runId, replayRunId: r.replay?.runId ?? null, error: r.error ?? null })) };
});
