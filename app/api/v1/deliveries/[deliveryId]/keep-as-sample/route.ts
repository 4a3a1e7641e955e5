// POST /api/v1/deliveries/:deliveryId/keep-as-sample – use this delivery as the flow's sample payload
import { apiRoute } from "@/lib/api/route";
import { keepDeliveryAsSample } from "@/lib/webhooks/deliveries/manage-deliveries";

export const POST = apiRoute<{ deliveryId: string }>("write", async ({ caller, db, params }) =>
  keepDeliveryAsSample(db.prisma, caller.workspaceId, params.deliveryId),
);
