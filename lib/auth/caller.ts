// Who is calling and in which workspace: from an API key (Authorization: Bearer sy_…) or the
// session cookie (the session's active workspace). Every tenant query filters by caller.workspaceId.
import type { Database } from "@/lib/db";
import { getAuth } from "./auth";
import { findApiKeyCaller, looksLikeApiKey } from "./api-keys";
import { isWorkspaceRole, type WorkspaceRole } from "./roles";

export interface Caller {
  userId: string;
  workspaceId: string;
  role: WorkspaceRole;
  via: "session" | "api_key";
}

export type CallerResult =
  | { ok: true; caller: Caller }
  | { ok: false; reason: "unauthenticated" | "invalid_api_key" | "no_workspace" };

export async function resolveCaller(db: Database, headers: Headers): Promise<CallerResult> {
  const authorization = headers.get("authorization");
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer && looksLikeApiKey(bearer)) {
    const found = await findApiKeyCaller(db.prisma, bearer);
    if (!found || !isWorkspaceRole(found.role)) return { ok: false, reason: "invalid_api_key" };
    return { ok: true, caller: { userId: found.userId, workspaceId: found.workspaceId, role: found.role, via: "api_key" } };
  }

  const auth = await getAuth();
  const session = await auth.api.getSession({ headers });
  if (!session) return { ok: false, reason: "unauthenticated" };
  const userId = session.user.id;
  const activeWorkspaceId = session.session.activeOrganizationId;
  const membership =
    (activeWorkspaceId &&
      (await db.prisma.membership.findUnique({ where: { workspaceId_userId: { workspaceId: activeWorkspaceId, userId } } }))) ||
    (await db.prisma.membership.findFirst({ where: { userId }, orderBy: { createdAt: "asc" } }));
  if (!membership || !isWorkspaceRole(membership.role)) return { ok: false, reason: "no_workspace" };
  return { ok: true, caller: { userId, workspaceId: membership.workspaceId, role: membership.role, via: "session" } };
}
