// GET /api/v1/deliveries – the delivery log: ?endpointId= &flowId= &verdict= &q= (search) &before= (cursor) &limit=
import { apiRoute, readQuery } from "@/lib/api/route";
import { listDeliveries, listDeliveriesQuery } from "@/lib/webhooks/deliveries/manage-deliveries";

export const GET = apiRoute("read", async ({ req, caller, db }) => listDeliveries(db.prisma, caller.workspaceId, readQuery(req, listDeliveriesQuery)));
