"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { authClient, authErrorMessage } from "@/lib/auth/client";

export function AcceptInvitation({ invitationId, workspaceName, role }: { invitationId: string; workspaceName: string; role: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function accept() {
    setPending(true);
    const { data, error } = await authClient.organization.acceptInvitation({ invitationId });
    if (error) {
      setPending(false);
      return setError(authErrorMessage(error, "Could not accept the invitation"));
    }
    await authClient.organization.setActive({ organizationId: data?.invitation.organizationId ?? null });
    router.replace("/flows");
    router.refresh();
  }

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        Join <strong>{workspaceName}</strong> as <strong>{role}</strong>.
      </p>
      <ErrorAlert>{error}</ErrorAlert>
      <Button onClick={accept} disabled={pending}>
        {pending ? "Joining…" : `Join ${workspaceName}`}
      </Button>
    </div>
  );
}
