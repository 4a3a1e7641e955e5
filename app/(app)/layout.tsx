import { headers } from "next/headers";
import { AppHeader } from "@/components/shell/app-header";
import { requirePageCaller } from "@/lib/auth/page-session";
import { getDatabase } from "@/lib/db";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const path = (await headers()).get("x-pathname") ?? "/flows";
  const caller = await requirePageCaller(path);
  const db = await getDatabase();
  const [user, memberships] = await Promise.all([
    db.prisma.user.findUniqueOrThrow({ where: { id: caller.userId }, select: { name: true, email: true } }),
    db.prisma.membership.findMany({
      where: { userId: caller.userId },
      orderBy: { createdAt: "asc" },
      select: { role: true, workspace: { select: { id: true, name: true } } },
    }),
  ]);
  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader
        user={user}
        role={caller.role}
        activeWorkspaceId={caller.workspaceId}
        workspaces={memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name, role: m.role }))}
      />
      <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:px-6 sm:py-8">{children}</main>
    </div>
  );
}
