// GET /api/v1/openapi.json – the OpenAPI document of the REST API (public, no secrets in it)
import { openApiDocument } from "@/lib/api/openapi";
import { publicUrl } from "@/lib/config/server-settings";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(openApiDocument(publicUrl()));
}
