// POST /api/v1/flows/:flowId/runs – start a run now: of the published version, or a test run of the draft
import { apiRoute, created, readJson } from "@/lib/api/route";
import { startRunInput } from "@/lib/runs/run-inputs";
import { startRun } from "@/lib/runs/start-run";

export const POST = apiRoute<{ flowId: string }>("write", async ({ req, caller, db, params }) => {
  const body = await readJson(req, startRunInput);
  return created(
    await startRun(db.prisma, {
      workspaceId: caller.workspaceId,
      flowId: params.flowId,
      source: body.source === "draft" ? { type: "draft" } : { type: "version" },
      trigger: body.trigger,
    }),
  );
});
