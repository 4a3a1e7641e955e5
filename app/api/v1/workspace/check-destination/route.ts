// POST /api/v1/workspace/check-destination – can this workspace's flows reach a URL or a credential's host?
import { apiRoute, readJson } from "@/lib/api/route";
import { checkDestination, checkDestinationInput } from "@/lib/net/check-destination";

export const POST = apiRoute("read", async ({ req, caller, db }) => checkDestination(db.prisma, caller.workspaceId, await readJson(req, checkDestinationInput)));
