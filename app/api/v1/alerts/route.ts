// GET /api/v1/alerts – failure alerts sent for the workspace's flows, newest first
import { z } from "zod";
import { apiRoute, readQuery } from "@/lib/api/route";
import { listAlerts } from "@/lib/runs/list-alerts";

const query = z.object({ flowId: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export const GET = apiRoute("read", async ({ req, caller, db }) => ({ alerts: await listAlerts(db.prisma, caller.workspaceId, readQuery(req, query)) }));
