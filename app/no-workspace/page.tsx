import { Logo } from "@/components/ui/logo";

export default function NoWorkspacePage() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <Logo className="mb-6 text-lg" />
      <h1 className="text-xl font-semibold">You are not in a workspace yet</h1>
      <p className="mt-2 max-w-md text-sm text-slate-600">Open the invitation link a workspace admin sent you to join their workspace.</p>
    </main>
  );
}
