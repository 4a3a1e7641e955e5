// Who may create an account: the first user (who then owns the first workspace), anyone with a
// pending invitation, and — only when SIGNUP_MODE=open — anyone, who gets a workspace of their own.
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
