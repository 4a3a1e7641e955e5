// GET /api/v1/flows – list flows · POST /api/v1/flows – create a flow
import { apiRoute, created, readJson, readQuery } from "@/lib/api/route";
import { createFlowInput, listFlowsQuery } from "@/lib/flows/flow-schemas";
import { createFlow, listFlows } from "@/lib/flows/manage-flows";

export const GET = apiRoute("read", async ({ req, caller, db }) => ({
  flows: await listFlows(db.prisma, caller.workspaceId, readQuery(req, listFlowsQuery)),
}));

export const POST = apiRoute("write", async ({ req, caller, db }) =>
  created(await createFlow(db.prisma, caller.workspaceId, caller.userId, await readJson(req, createFlowInput))),
);
