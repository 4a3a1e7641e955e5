import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitation } from "@/components/auth/accept-invitation";
import { Logo } from "@/components/ui/logo";
import { currentSession } from "@/lib/auth/page-session";
import { getDatabase } from "@/lib/db";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ invitationId: string }> }) {
  const { invitationId } = await params;
  const db = await getDatabase();
  const invitation = await db.prisma.invitation.findUnique({
    where: { id: invitationId },
    include: { workspace: { select: { name: true } }, inviter: { select: { name: true, email: true } } },
  });
  const session = await currentSession();
  const usable = invitation && invitation.status === "pending" && invitation.expiresAt > new Date();

  let body: React.ReactNode;
  if (!usable) {
    body = <p className="text-sm text-slate-600">This invitation is no longer valid. Ask the workspace admin for a new link.</p>;
  } else if (!session) {
    body = (
      <div className="space-y-3 text-sm text-slate-600">
        <p>
          {invitation.inviter.name || invitation.inviter.email} invited <strong>{invitation.email}</strong> to join{" "}
          <strong>{invitation.workspace.name}</strong> as {invitation.role}.
        </p>
        <div className="flex gap-2">
          <Link className="rounded-md bg-brand-600 px-3.5 py-2 font-medium text-white hover:bg-brand-700" href={`/sign-up?invitation=${invitation.id}`}>
            Create account
          </Link>
          <Link className="rounded-md px-3.5 py-2 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50" href={`/sign-in?next=/invite/${invitation.id}`}>
            Sign in
          </Link>
        </div>
      </div>
    );
  } else if (session.user.email.toLowerCase() !== invitation.email.toLowerCase()) {
    body = (
      <p className="text-sm text-slate-600">
        This invitation is for {invitation.email}, but you are signed in as {session.user.email}. Sign out and use the invited address.
      </p>
    );
  } else {
    body = <AcceptInvitation invitationId={invitation.id} workspaceName={invitation.workspace.name} role={invitation.role ?? "viewer"} />;
  }

  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4">
      <Logo className="mb-8 text-lg" />
      <div className="w-full max-w-md space-y-4 rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-xl font-semibold">Join a workspace</h1>
        {body}
      </div>
    </main>
  );
}
