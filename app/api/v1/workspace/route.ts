// GET /api/v1/workspace – the caller's workspace settings · PATCH – change name, retention, allowed internal hosts
import { apiRoute, readJson } from "@/lib/api/route";
import { getWorkspaceSettings, updateWorkspaceSettings, updateWorkspaceSettingsInput } from "@/lib/workspaces/workspace-settings";

export const GET = apiRoute("read", async ({ caller, db }) => getWorkspaceSettings(db.prisma, caller.workspaceId));

export const PATCH = apiRoute("manage", async ({ req, caller, db }) =>
  updateWorkspaceSettings(db.prisma, caller.workspaceId, await readJson(req, updateWorkspaceSettingsInput)),
);
