"use client";
// Better Auth's browser client (same origin as the app).
import { organizationClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient({ plugins: [organizationClient()] });

/** Better Auth answers errors as { message, code }; show the message. */
export function authErrorMessage(error: { message?: string; statusText?: string } | null | undefined, fallback: string): string {
  return error?.message || error?.statusText || fallback;
}
