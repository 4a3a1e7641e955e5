import type { Metadata } from "next";
import { headers } from "next/headers";
import { ZodWithoutEval } from "@/components/shell/zod-without-eval";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Switchyard", template: "%s · Switchyard" },
  description: "Turn inbound webhooks into reliable, visible automations.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: its scripts carry the nonce of that response's CSP (proxy.ts).
  await headers();
  return (
    <html lang="en">
      <body className="min-h-full font-sans">
        <ZodWithoutEval />
        {children}
      </body>
    </html>
  );
}
