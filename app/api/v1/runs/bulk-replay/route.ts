// POST /api/v1/runs/bulk-replay – replay many runs (e.g. every failed run of a flow in a time range)
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/route";
import { replayInput } from "@/lib/runs/replay-input";
import { replayRuns } from "@/lib/runs/replay-run";

const input = replayInput.extend({ runIds: z.array(z.string().min(1)).min(1).max(500) });

export const POST = apiRoute("write", async ({ req, caller, db }) => {
  const body = await readJson(req, input);
  const results = await replayRuns(db.prisma, { workspaceId: caller.workspaceId, ...body });
  return { results: results.map((r) => ({ runId: r.runId, replayRunId: r.replay?.runId ?? null, error: r.error ?? null })) };
});
