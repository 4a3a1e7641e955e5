// POST /api/v1/flows/:flowId/duplicate – copy a flow's draft into a new draft flow
import { apiRoute, created } from "@/lib/api/route";
import { duplicateFlow } from "@/lib/flows/duplicate-flow";

export const POST = apiRoute<{ flowId: string }>("write", async ({ caller, db, params }) =>
  created(await duplicateFlow(db.prisma, caller.workspaceId, caller.userId, params.flowId)),
);
