"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { authClient } from "@/lib/auth/client";

export interface WorkspaceOption {
  id: string;
  name: string;
  role: string;
}

export function WorkspaceSwitcher({ workspaces, activeWorkspaceId }: { workspaces: WorkspaceOption[]; activeWorkspaceId: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);

  async function switchTo(organizationId: string) {
    setPending(true);
    await authClient.organization.setActive({ organizationId });
    setPending(false);
    router.push("/flows");
    router.refresh();
  }

  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Workspace</span>
      <select
        aria-label="Workspace"
        value={activeWorkspaceId}
        disabled={pending}
        onChange={(event) => switchTo(event.target.value)}
        className="max-w-36 truncate rounded-md border-0 bg-slate-100 sm:max-w-44 py-1.5 pr-8 pl-3 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-200 focus:ring-2 focus:ring-brand-500"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}
