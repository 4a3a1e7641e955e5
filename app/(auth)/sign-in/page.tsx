import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentSession, noUsersYet, openSignupAvailable, safeNext } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentSession()) redirect(next);
  return <SignInForm next={next} showSignUp={await openSignupAvailable()} firstUser={await noUsersYet()} />;
}
