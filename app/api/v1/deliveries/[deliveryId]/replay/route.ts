// POST /api/v1/deliveries/:deliveryId/replay – run the delivery again on the flow's active version
import { apiRoute, created } from "@/lib/api/route";
import { replayDelivery } from "@/lib/webhooks/deliveries/manage-deliveries";

export const POST = apiRoute<{ deliveryId: string }>("write", async ({ caller, db, params }) =>
  created(await replayDelivery(db.prisma, caller.workspaceId, params.deliveryId)),
);
