// GET /api/v1/deliveries/:deliveryId/files/:index – download a file uploaded with a form submission
import { ApiError } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/route";
import { readDeliveryFile } from "@/lib/webhooks/deliveries/manage-deliveries";

export const GET = apiRoute<{ deliveryId: string; index: string }>("read", async ({ caller, db, params }) => {
  const index = Number(params.index);
  if (!Number.isInteger(index) || index < 0) throw new ApiError(400, "invalid_index", "The file index must be a whole number from 0");
  const file = await readDeliveryFile(db.prisma, caller.workspaceId, params.deliveryId, index);
  // Served as a download so an uploaded HTML or SVG file never renders in our origin.
  return new Response(new Uint8Array(file.data), {
    headers: {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.filename || `file-${index}`)}`,
      "x-content-type-options": "nosniff",
    },
  });
});
