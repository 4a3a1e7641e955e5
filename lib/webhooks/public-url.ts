/** The origin senders reach the app at (PUBLIC_URL, default http://localhost:<PORT>), without a trailing slash. */
export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, "");
}
