"use client";

import { LogOut } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Logo } from "@/components/ui/logo";
import { authClient } from "@/lib/auth/client";
import { WorkspaceSwitcher, type WorkspaceOption } from "./workspace-switcher";

const NAV = [
  { href: "/flows", label: "Flows" },
  { href: "/runs", label: "Runs" },
  { href: "/deliveries", label: "Deliveries" },
  { href: "/dead-letters", label: "Dead letters" },
  { href: "/metrics", label: "Metrics" },
  { href: "/alerts", label: "Alerts" },
  { href: "/settings", label: "Settings" },
];

export function AppHeader({
  user,
  role,
  workspaces,
  activeWorkspaceId,
}: {
  user: { name: string; email: string };
  role: string;
  workspaces: WorkspaceOption[];
  activeWorkspaceId: string;
}) {
  const pathname = usePathname();
  const router = useRouter();
  // The flow editor spans the whole window; its header does too, so both edges line up.
  const fullWidth = /^\/flows\/[^/]+/.test(pathname);

  async function signOut() {
    await authClient.signOut();
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className={`flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 sm:h-14 sm:flex-nowrap sm:py-0 ${fullWidth ? "sm:px-4" : "mx-auto max-w-6xl sm:px-6"}`}>
        <Link href="/flows" aria-label="Switchyard home">
          <Logo />
        </Link>
        <WorkspaceSwitcher workspaces={workspaces} activeWorkspaceId={activeWorkspaceId} />
        {/* Below 640 px the menu gets a row of its own and scrolls sideways instead of widening the page. */}
        <nav aria-label="Main" className="order-last -mx-1 flex w-full items-center gap-1 overflow-x-auto sm:order-none sm:mx-0 sm:w-auto sm:min-w-0">
          {NAV.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap ${active ? "bg-slate-100 text-slate-900" : "text-slate-600 hover:text-slate-900"}`}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex shrink-0 items-center gap-3">
          <div className="hidden text-right text-xs leading-tight whitespace-nowrap md:block" title={user.email}>
            <div className="font-medium text-slate-800">{user.name || user.email}</div>
            <div className="text-slate-500">{role}</div>
          </div>
          <Button variant="ghost" size="sm" onClick={signOut} className="whitespace-nowrap" aria-label="Sign out" title={`Sign out ${user.email}`}>
            <LogOut className="size-4" aria-hidden />
            <span className="hidden sm:inline">Sign out</span>
          </Button>
        </div>
      </div>
    </header>
  );
}
