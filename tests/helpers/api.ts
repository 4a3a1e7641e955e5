// Drives the real route handlers and the real Better Auth against a test database.
import { createAuth, setProcessAuth, type Auth } from "@/lib/auth/auth";
import { setProcessDatabase } from "@/lib/db";
import type { TestDatabase } from "./databases";

export const BASE = "http://localhost:3000";

export function bindApp(db: TestDatabase): Auth {
  setProcessDatabase(db);
  const auth = createAuth(db);
  setProcessAuth(auth);
  return auth;
}

/** Signs up through Better Auth's HTTP handler and returns the session cookie. */
export async function signUp(auth: Auth, email: string, name = email.split("@")[0]): Promise<string> {
  const res = await auth.handler(
    new Request(`${BASE}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ email, password: "correct horse battery", name }),
    }),
  );
  if (res.status !== 200) throw new Error(`sign-up of ${email} failed: ${res.status} ${await res.text()}`);
  return sessionCookie(res);
}

export function sessionCookie(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;

/** Calls a route handler like Next.js would and returns status + parsed JSON body. */
export async function call<P extends Record<string, string>>(
  handler: Handler<P>,
  options: { method?: string; path?: string; params?: P; body?: unknown; cookie?: string; bearer?: string; rawBody?: string; headers?: Record<string, string | null> } = {},
): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  const headers: Record<string, string> = { "content-type": "application/json" };
  // A browser sends its page's origin with every write; scripts with a cookie would not.
  if (options.cookie) Object.assign(headers, { cookie: options.cookie, origin: BASE });
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const res = await handler(
    new Request(`${BASE}${options.path ?? "/api/v1/test"}`, {
      method: options.method ?? "GET",
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    }),
    { params: Promise.resolve((options.params ?? {}) as P) },
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
