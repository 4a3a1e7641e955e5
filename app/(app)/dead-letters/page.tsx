import type { Metadata } from "next";
import { DeadLetters } from "@/components/runs/dead-letters";
import { requirePageCaller } from "@/lib/auth/page-session";
import { roleCan } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Dead letters" };
export const dynamic = "force-dynamic";

export default async function DeadLettersPage() {
  const caller = await requirePageCaller("/dead-letters");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Dead letters</h1>
        <p className="mt-1 text-sm text-slate-500">Runs that failed after every retry. Fix the cause, then replay them — or dismiss them.</p>
      </div>
      <DeadLetters canWrite={roleCan(caller.role, "write")} />
    </div>
  );
}
