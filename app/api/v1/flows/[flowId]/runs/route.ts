// POST /api/v1/flows/:flowId/runs – run the published flow by hand with the body as payload (manual trigger), or ?source=draft for a test run of the draft
import { apiRoute, created, readJson, readQuery } from "@/lib/api/route";
import { startRunBody, startRunQuery } from "@/lib/runs/run-inputs";
import { startManualRun } from "@/lib/runs/start-manual-run";
import { startRun } from "@/lib/runs/start-run";

export const POST = apiRoute<{ flowId: string }>("write", async ({ req, caller, db, params }) => {
  const { source } = readQuery(req, startRunQuery);
  const body = await readEmptyAsUndefined(req);
  if (source === "draft") {
    return created(await startRun(db.prisma, { workspaceId: caller.workspaceId, flowId: params.flowId, source: { type: "draft" }, trigger: body }));
  }
  return created(await startManualRun(db.prisma, { workspaceId: caller.workspaceId, flowId: params.flowId, payload: body ?? {} }));
});

/** An empty body means "no payload" (a test run then uses the flow's sample); readJson reads it as {}. */
async function readEmptyAsUndefined(req: Request): Promise<unknown> {
  const text = await req.clone().text();
  return text.trim() ? readJson(req, startRunBody) : undefined;
}
