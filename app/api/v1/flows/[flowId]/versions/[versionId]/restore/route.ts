// POST /api/v1/flows/:flowId/versions/:versionId/restore – make a published version the draft again ({ revision } as for saves)
import { z } from "zod";
import { apiRoute, readJson } from "@/lib/api/route";
import { restoreFlowVersion } from "@/lib/flows/restore-flow-version";

const restoreInput = z.object({ revision: z.number().int().min(0) });

export const POST = apiRoute<{ flowId: string; versionId: string }>("write", async ({ req, caller, db, params }) => {
  const { revision } = await readJson(req, restoreInput);
  return restoreFlowVersion(db.prisma, caller.workspaceId, params.flowId, params.versionId, revision);
});
