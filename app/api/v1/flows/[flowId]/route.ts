// GET/PATCH/DELETE /api/v1/flows/:flowId – read, update (name, description, draft graph), delete a flow
import { apiRoute, readJson } from "@/lib/api/route";
import { updateFlowInput } from "@/lib/flows/flow-schemas";
import { deleteFlow, getFlow, updateFlow } from "@/lib/flows/manage-flows";

type Params = { flowId: string };

export const GET = apiRoute<Params>("read", async ({ caller, db, params }) => getFlow(db.prisma, caller.workspaceId, params.flowId));

export const PATCH = apiRoute<Params>("write", async ({ req, caller, db, params }) =>
  updateFlow(db.prisma, caller.workspaceId, params.flowId, await readJson(req, updateFlowInput)),
);

export const DELETE = apiRoute<Params>("write", async ({ caller, db, params }) => {
  await deleteFlow(db.prisma, caller.workspaceId, params.flowId);
});
