// GET /api/v1/deliveries/:deliveryId – one delivery with headers (secrets redacted), query and body
import { apiRoute } from "@/lib/api/route";
import { getDelivery } from "@/lib/webhooks/deliveries/manage-deliveries";

export const GET = apiRoute<{ deliveryId: string }>("read", async ({ caller, db, params }) => getDelivery(db.prisma, caller.workspaceId, params.deliveryId));
