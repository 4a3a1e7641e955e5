// GET /api/v1/me – who the caller is and which workspace and role they act in
import { apiRoute } from "@/lib/api/route";

export const GET = apiRoute("read", async ({ caller }) => caller);
