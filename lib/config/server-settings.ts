// Settings of the HTTP server process, read once from the environment (documented in README.md).

export interface ServerSettings {
  host: string;
  port: number;
  /** The origin users and webhook senders reach the app at; webhook URLs are built from it. */
  publicUrl: string;
  requestTimeoutMs: number;
}

export function serverSettings(env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got "${env.PORT}")`);
  return { host: env.HOST || "0.0.0.0", port, publicUrl: publicUrl(env), requestTimeoutMs: requestTimeoutMs(env) };
}

/** REQUEST_TIMEOUT_MS: the longest a client may take to send a whole request (default 30 s). */
export function requestTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.REQUEST_TIMEOUT_MS || 30_000);
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`REQUEST_TIMEOUT_MS must be a positive number of milliseconds (got "${env.REQUEST_TIMEOUT_MS}")`);
  return ms;
}

/** PUBLIC_URL without a trailing slash (default http://localhost:<PORT>). */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`PUBLIC_URL must use http or https (got "${raw}")`);
  return url.toString().replace(/\/$/, "");
}
