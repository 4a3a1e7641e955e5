// Who may create an account: the first user (who then owns the first workspace), anyone with a
// pending invitation, and — only when SIGNUP_MODE=open — anyone, who gets a workspace of their own.
// Who may create further workspaces: in invite-only mode only instance admins.
import type { PrismaClient } from "@/lib/db/client";

export type SignupMode = "invite-only" | "open";

export function signupMode(env: NodeJS.ProcessEnv = process.env): SignupMode {
  const mode = env.SIGNUP_MODE || "invite-only";
  if (mode !== "invite-only" && mode !== "open") {
    throw new Error(`SIGNUP_MODE must be "invite-only" or "open" (got "${mode}")`);
  }
  return mode;
}

/** Checked before the account is created: null when allowed, else the reason to show. */
export async function refuseSignup(prisma: PrismaClient, email: string, mode = signupMode()): Promise<string | null> {
  if (mode === "open" || (await hasPendingInvitation(prisma, email))) return null;
  if ((await prisma.user.count()) === 0) return null;
  return "This Switchyard instance is invite-only. Ask a workspace admin for an invitation link.";
}

/** Checked after the account exists: invitees join the inviting workspace, everyone else gets one. */
export async function needsOwnWorkspace(prisma: PrismaClient, email: string): Promise<boolean> {
  return !(await hasPendingInvitation(prisma, email));
}

async function hasPendingInvitation(prisma: PrismaClient, email: string) {
  const count = await prisma.invitation.count({
    where: { email: email.toLowerCase(), status: "pending", expiresAt: { gt: new Date() } },
  });
  return count > 0;
}

/**
 * Instance admins: the owners and admins of the instance's first workspace — the first user, and
 * whomever they make an owner or admin there.
 */
export async function isInstanceAdmin(prisma: PrismaClient, userId: string): Promise<boolean> {
  const first = await prisma.workspace.findFirst({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } });
  if (!first) return false;
  const membership = await prisma.membership.findUnique({ where: { workspaceId_userId: { workspaceId: first.id, userId } } });
  return membership?.role === "owner" || membership?.role === "admin";
}

/** Whether a signed-in user may create another workspace (Better Auth's organization/create). */
export async function mayCreateWorkspace(prisma: PrismaClient, userId: string, mode = signupMode()): Promise<boolean> {
  return mode === "open" || (await isInstanceAdmin(prisma, userId));
}
