// POST /api/v1/flows/:flowId/runs – start a run now: of the published version, or a test run of the draft
import { z } from "zod";
import { apiRoute, created, readJson } from "@/lib/api/route";
import { startRun } from "@/lib/runs/start-run";

const input = z.object({
  /** "draft" runs the current draft as a test run; "published" runs the active version. */
  source: z.enum(["draft", "published"]).default("published"),
  /** A trigger payload with method/headers ({ method, headers, query, body }), or else just the body; defaults to the flow's sample payload. */
  trigger: z.unknown().optional(),
});

export const POST = apiRoute<{ flowId: string }>("write", async ({ req, caller, db, params }) => {
  const body = await readJson(req, input);
  return created(
    await startRun(db.prisma, {
      workspaceId: caller.workspaceId,
      flowId: params.flowId,
      source: body.source === "draft" ? { type: "draft" } : { type: "version" },
      trigger: body.trigger,
    }),
  );
});
