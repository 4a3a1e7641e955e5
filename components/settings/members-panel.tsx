"use client";

import { Copy } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { authClient, authErrorMessage } from "@/lib/auth/client";

interface Member {
  id: string;
  role: string;
  name: string;
  email: string;
}
interface PendingInvitation {
  id: string;
  email: string;
  role: string;
  link: string;
  expiresAt: string;
}

export function MembersPanel({
  members,
  invitations,
  canManage,
  baseUrl,
  workspaceId,
}: {
  members: Member[];
  invitations: PendingInvitation[];
  canManage: boolean;
  baseUrl: string;
  workspaceId: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [lastLink, setLastLink] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    const { data, error } = await authClient.organization.inviteMember({
      email: String(form.get("email")),
      role: String(form.get("role")) as "admin",
      organizationId: workspaceId,
    });
    if (error || !data) return setError(authErrorMessage(error, "Could not create the invitation"));
    setLastLink(`${baseUrl}/invite/${data.id}`);
    formElement.reset();
    router.refresh();
  }

  async function cancel(invitationId: string) {
    const { error } = await authClient.organization.cancelInvitation({ invitationId });
    if (error) return setError(authErrorMessage(error, "Could not cancel the invitation"));
    router.refresh();
  }

  async function copy(link: string) {
    await navigator.clipboard.writeText(link);
    setCopied(link);
    setTimeout(() => setCopied(null), 2000);
  }

  return (
    <Card>
      <CardHeader title="Members" description="Owners and admins manage members and keys; editors build flows; viewers can only look." />
      <ul className="divide-y divide-slate-100">
        {members.map((m) => (
          <li key={m.id} className="flex items-center justify-between px-5 py-3 text-sm">
            <div>
              <div className="font-medium">{m.name || m.email}</div>
              <div className="text-xs text-slate-500">{m.email}</div>
            </div>
            <Badge tone={m.role === "owner" ? "blue" : "gray"}>{m.role}</Badge>
          </li>
        ))}
      </ul>
      {canManage ? (
        <div className="space-y-4 border-t border-slate-200 px-5 py-4">
          <form onSubmit={invite} className="flex flex-wrap items-end gap-3">
            <TextField label="Invite by email" name="email" type="email" required placeholder="teammate@example.com" className="min-w-64 flex-1" />
            <SelectField label="Role" name="role" defaultValue="editor">
              <option value="admin">Admin</option>
              <option value="editor">Editor</option>
              <option value="viewer">Viewer</option>
            </SelectField>
            <Button type="submit">Create invitation</Button>
          </form>
          <ErrorAlert>{error}</ErrorAlert>
          {lastLink ? (
            <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
              Invitation created. Send this link to your teammate: <code className="break-all">{lastLink}</code>
            </p>
          ) : null}
          {invitations.length > 0 ? (
            <div>
              <h3 className="text-sm font-medium text-slate-700">Pending invitations</h3>
              <ul className="mt-2 divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
                {invitations.map((i) => (
                  <li key={i.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                    <span>
                      {i.email} <span className="text-slate-500">as {i.role}</span>
                    </span>
                    <span className="flex gap-1">
                      <Button size="sm" variant="secondary" onClick={() => copy(i.link)} aria-label={`Copy invitation link for ${i.email}`}>
                        <Copy className="size-3.5" aria-hidden />
                        {copied === i.link ? "Copied" : "Copy link"}
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => cancel(i.id)}>
                        Cancel
                      </Button>
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
