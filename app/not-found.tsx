import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">The page does not exist, or it belongs to a workspace you are not in.</p>
      <Link href="/flows" className="mt-6 text-sm font-medium text-brand-600 hover:underline">
        Go to your flows
      </Link>
    </main>
  );
}
