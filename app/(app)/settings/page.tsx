import type { Metadata } from "next";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { CredentialsPanel } from "@/components/settings/credentials-panel";
import { MembersPanel } from "@/components/settings/members-panel";
import { WorkspacePanel } from "@/components/settings/workspace-panel";
import { WorkspaceSettingsPanel } from "@/components/settings/workspace-settings-panel";
import { apiKeyListSchema } from "@/lib/auth/api-key-responses";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requirePageCaller } from "@/lib/auth/page-session";
import { roleCan } from "@/lib/auth/roles";
import { mayCreateWorkspace } from "@/lib/auth/signup-policy";
import { listCredentials } from "@/lib/credentials";
import { credentialListSchema } from "@/lib/credentials/credential-responses";
import { publicUrl } from "@/lib/config/server-settings";
import { getDatabase } from "@/lib/db";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const caller = await requirePageCaller("/settings");
  const db = await getDatabase();
  const canManage = roleCan(caller.role, "manage");
  const [workspace, members, invitations, apiKeys, credentials] = await Promise.all([
    db.prisma.workspace.findUniqueOrThrow({ where: { id: caller.workspaceId }, select: { id: true, name: true, retentionDays: true, allowedHosts: true } }),
    db.prisma.membership.findMany({
      where: { workspaceId: caller.workspaceId },
      orderBy: { createdAt: "asc" },
      select: { id: true, role: true, user: { select: { name: true, email: true } } },
    }),
    canManage
      ? db.prisma.invitation.findMany({
          where: { workspaceId: caller.workspaceId, status: "pending", expiresAt: { gt: new Date() } },
          orderBy: { createdAt: "desc" },
          select: { id: true, email: true, role: true, expiresAt: true },
        })
      : [],
    canManage ? listApiKeys(db.prisma, caller.workspaceId) : [],
    listCredentials(db.prisma, caller.workspaceId),
  ]);
  const baseUrl = publicUrl();
  // In invite-only mode only instance admins may create workspaces; others are not offered it.
  const canCreateWorkspace = await mayCreateWorkspace(db.prisma, caller.userId);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 text-sm text-slate-500">{workspace.name}</p>
      </div>
      {canManage ? <WorkspaceSettingsPanel initial={workspace} /> : null}
      <MembersPanel
        canManage={canManage}
        members={members.map((m) => ({ id: m.id, role: m.role, name: m.user.name, email: m.user.email }))}
        invitations={invitations.map((i) => ({
          id: i.id,
          email: i.email,
          role: i.role ?? "viewer",
          link: `${baseUrl}/invite/${i.id}`,
          expiresAt: i.expiresAt.toISOString(),
        }))}
        baseUrl={baseUrl}
        workspaceId={workspace.id}
      />
      <CredentialsPanel
        canWrite={roleCan(caller.role, "write")}
        credentials={credentialListSchema.parse({ credentials }).credentials}
      />
      {canManage ? (
        <ApiKeysPanel
          apiKeys={apiKeyListSchema.parse({ apiKeys }).apiKeys}
        />
      ) : null}
      {canCreateWorkspace ? <WorkspacePanel /> : null}
    </div>
  );
}
