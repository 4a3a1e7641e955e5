// The Switchyard process: applies migrations, starts background work, serves the webhook fast
// path and the Inngest endpoints directly from lib/ and inngest/, and hands every other request
// to Next.js (a documented custom server). Why not the Next router for webhooks and steps: it
// caps near 1,500 req/s on this hardware (DESIGN.md), and every step of every run is a request.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { startRunHost } from "@/inngest/host/run-host";
import { localAppOrigin } from "@/inngest/local";
import { stampClientAddress } from "@/lib/auth/client-address";
import { httpTimeouts } from "@/lib/config/http-timeouts";
import { baseSecurityHeaders, webhookSecurityHeaders } from "@/lib/config/security-headers";
import { serverSettings } from "@/lib/config/server-settings";
import { getDatabase } from "@/lib/db";
import { foregroundBusy, trackForegroundRequest } from "@/lib/db/work-priority";
import { registerHealthProbe } from "@/lib/health/check-health";
import { drainHookWrites, handleHookRequest } from "@/lib/webhooks/ingress/http-handler";
import { startRetention } from "@/lib/workspaces/apply-retention";

// A self-hosted app does not report usage to Vercel unless its operator opts in.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const settings = serverSettings();
const securityHeaders = Object.entries(baseSecurityHeaders(settings.publicUrl));
const apiHeaders = webhookSecurityHeaders(settings.publicUrl).json;
const dev = process.env.NODE_ENV !== "production";

const db = await getDatabase().catch((error: Error) => {
  // A start-up refusal (DATA_DIR in use, PGlite data not imported, DATABASE_URL unreachable) says what to do: no stack trace.
  console.error(`[db] ${error.message}`);
  process.exit(1);
});

// Run execution: the embedded engine (unless the SDK's own variables point at a real Inngest
// server) and the outbox relay feeding it, in a worker process of lower CPU priority by default
// (inngest/host): there the kernel keeps webhooks first; inline, the engine yields while webhooks are acknowledged.
const runs = await startRunHost({ db, appUrl: localAppOrigin(), publicUrl: settings.publicUrl, yieldWhile: foregroundBusy });
registerHealthProbe("engine", () => runs.health());

const app = next({ dev, hostname: settings.host, port: settings.port, turbopack: dev });
await app.prepare();
const handleWithNext = app.getRequestHandler();

/** Requests served without Next.js. Returns false for everything else. Nothing may read the body first. */
async function handleFastPath(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = req.url ?? "/";
  if (url.startsWith("/api/hooks/")) {
    const done = trackForegroundRequest();
    try {
      await handleHookRequest(req, res);
    } finally {
      done();
    }
    return true;
  }
  return runs.handleRequest(req, res); // /api/engine/*, /v1/checkpoint/*, /api/inngest when the engine runs here
}

// Slow senders are cut off within REQUEST_TIMEOUT_MS (the webhook handler's own deadline comes first and records the refusal).
const server = createServer(httpTimeouts(settings.requestTimeoutMs).server, (req, res) => {
  handleFastPath(req, res)
    .then((handled) => {
      if (handled) return;
      stampClientAddress(req); // sign-in rate limits key on it, not on a forgeable X-Forwarded-For
      for (const [name, value] of securityHeaders) res.setHeader(name, value);
      return handleWithNext(req, res);
    })
    .catch((error: unknown) => {
      console.error(`[server] ${req.method} ${req.url?.split("?")[0]} failed:`, error);
      if (!res.headersSent) {
        res.writeHead(500, { ...apiHeaders, "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "internal_error", message: "Internal server error" } }));
      } else {
        res.destroy();
      }
    });
});
await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
console.log(`[server] Switchyard ${dev ? "(development) " : ""}listening on http://${settings.host}:${settings.port} — open ${settings.publicUrl}`);

// The engine syncs the functions from /api/inngest once it answers; an unsupported function
// configuration is a start-up error, not a silent gap.
runs.ready.catch((error: Error) => {
  console.error(`[engine] ${error.message}`);
  process.exit(1);
});
runs.listening();

// Deletes finished runs and deliveries older than each workspace's retention, and sent outbox events, hourly.
const purge = startRetention({ db });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[server] ${signal}: shutting down`);
  server.close();
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 15_000).unref();
  purge.stop();
  await drainHookWrites().catch(() => {});
  await runs.stop().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
