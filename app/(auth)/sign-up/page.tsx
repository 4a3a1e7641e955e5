import type { Metadata } from "next";
import Link from "next/link";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getDatabase } from "@/lib/db";
import { openSignupAvailable, safeNext } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Create account" };
export const dynamic = "force-dynamic";

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const invitationId = typeof params.invitation === "string" ? params.invitation : undefined;
  if (invitationId) {
    const db = await getDatabase();
    const invitation = await db.prisma.invitation.findFirst({
      where: { id: invitationId, status: "pending", expiresAt: { gt: new Date() } },
      include: { workspace: { select: { name: true } } },
    });
    if (invitation) {
      return (
        <SignUpForm
          email={invitation.email}
          next={`/invite/${invitation.id}`}
          intro={`You were invited to join ${invitation.workspace.name}.`}
        />
      );
    }
  }
  if (!(await openSignupAvailable())) {
    return (
      <div className="space-y-3 text-sm">
        <h1 className="text-xl font-semibold">Invitation needed</h1>
        <p className="text-slate-600">This Switchyard instance is invite-only. Ask a workspace admin for an invitation link.</p>
        <Link href="/sign-in" className="font-medium text-brand-600 hover:underline">
          Back to sign in
        </Link>
      </div>
    );
  }
  return <SignUpForm next={safeNext(params.next)} intro="Set up Switchyard: the first account owns the first workspace." />;
}
