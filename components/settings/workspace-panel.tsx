"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { authClient, authErrorMessage } from "@/lib/auth/client";
import { slugify } from "@/lib/auth/slugify";

export function WorkspacePanel() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name")).trim();
    const { data, error } = await authClient.organization.create({
      name,
      slug: `${slugify(name)}-${Math.random().toString(36).slice(2, 8)}`,
    });
    if (error || !data) return setError(authErrorMessage(error, "Could not create the workspace"));
    await authClient.organization.setActive({ organizationId: data.id });
    router.push("/flows");
    router.refresh();
  }

  return (
    <Card>
      <CardHeader title="New workspace" description="Workspaces keep flows, credentials, runs and members apart. You become its owner." />
      <form onSubmit={create} className="flex items-end gap-3 px-5 py-4">
        <TextField label="New workspace name" name="name" required placeholder="Marketing ops" className="flex-1" />
        <Button type="submit" variant="secondary">
          Create workspace
        </Button>
      </form>
      {error ? (
        <div className="px-5 pb-4">
          <ErrorAlert>{error}</ErrorAlert>
        </div>
      ) : null}
    </Card>
  );
}
