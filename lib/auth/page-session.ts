// Session helpers for server-rendered pages: who is signed in, and which workspace they are in.
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDatabase } from "@/lib/db";
import { signupMode } from "./signup-policy";
import { getAuth } from "./auth";
import { resolveCaller, type Caller } from "./caller";

/** The signed-in user's session, or null. */
export async function currentSession() {
  const auth = await getAuth();
  return auth.api.getSession({ headers: await headers() });
}

/** The caller of an app page; sends visitors without a session to sign-in. */
export async function requirePageCaller(path: string): Promise<Caller> {
  const db = await getDatabase();
  const result = await resolveCaller(db, await headers());
  if (result.ok) return result.caller;
  if (result.reason === "no_workspace") redirect("/no-workspace");
  redirect(`/sign-in?next=${encodeURIComponent(path)}`);
}

/** Whether the sign-up page should offer an account to someone without an invitation. */
export async function openSignupAvailable(): Promise<boolean> {
  const db = await getDatabase();
  return signupMode() === "open" || (await db.prisma.user.count()) === 0;
}

/** Only same-site paths may be redirect targets after sign-in. */
export function safeNext(value: string | string[] | undefined, fallback = "/flows"): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next && next.startsWith("/") && !next.startsWith("//") ? next : fallback;
}

/** Whether nobody has signed up yet (the sign-in page then offers the first account). */
export async function noUsersYet(): Promise<boolean> {
  const db = await getDatabase();
  return (await db.prisma.user.count()) === 0;
}
