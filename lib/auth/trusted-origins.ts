// The origins a browser may act from on this instance: PUBLIC_URL, its localhost/127.0.0.1 twin,
// and any extra TRUSTED_ORIGINS. Used by Better Auth's sign-in check and the /api/v1 CSRF check.
import { publicUrl } from "@/lib/config/server-settings";

export function trustedOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  const url = new URL(publicUrl(env));
  const origins = new Set([url.origin]);
  if (url.hostname === "localhost") origins.add(`${url.protocol}//127.0.0.1${url.port ? `:${url.port}` : ""}`);
  if (url.hostname === "127.0.0.1") origins.add(`${url.protocol}//localhost${url.port ? `:${url.port}` : ""}`);
  for (const origin of (env.TRUSTED_ORIGINS ?? "").split(",")) if (origin.trim()) origins.add(origin.trim().replace(/\/$/, ""));
  return [...origins];
}
