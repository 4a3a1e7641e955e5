"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { authClient, authErrorMessage } from "@/lib/auth/client";

export function SignInForm({ next, showSignUp, firstUser }: { next: string; showSignUp: boolean; firstUser: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error } = await authClient.signIn.email({
      email: String(form.get("email")),
      password: String(form.get("password")),
    });
    setPending(false);
    if (error) return setError(authErrorMessage(error, "Sign-in failed"));
    router.replace(next);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate={false}>
      <div>
        <h1 className="text-xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-500">Welcome back to Switchyard.</p>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      <TextField label="Email" name="email" type="email" autoComplete="email" required autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      {showSignUp ? (
        <p className="text-center text-sm text-slate-500">
          New here?{" "}
          <Link href="/sign-up" className="font-medium text-brand-600 hover:underline">
            {firstUser ? "Create the first account" : "Create an account"}
          </Link>
        </p>
      ) : null}
    </form>
  );
}
