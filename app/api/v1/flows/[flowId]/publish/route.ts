// POST /api/v1/flows/:flowId/publish – freeze the draft into a new immutable version
import { apiRoute, created, readJson } from "@/lib/api/route";
import { publishFlowInput } from "@/lib/flows/flow-schemas";
import { publishFlow } from "@/lib/flows/publish-flow";

export const POST = apiRoute<{ flowId: string }>("write", async ({ req, caller, db, params }) => {
  const { note } = await readJson(req, publishFlowInput);
  return created(await publishFlow(db.prisma, caller.workspaceId, params.flowId, caller.userId, note));
});
