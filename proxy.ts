// Runs before every page: passes the requested path to server layouts (sign-in sends the user back
// where they were) and sets the page's Content-Security-Policy with a fresh nonce, which Next.js
// reads from the request header and puts on its own scripts.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/lib/config/security-headers";
import { publicUrl } from "@/lib/config/server-settings";

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV !== "production", https: publicUrl().startsWith("https://") });
  const headers = new Headers(request.headers);
  headers.set("x-pathname", request.nextUrl.pathname + request.nextUrl.search);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico).*)"],
};
