// The Switchyard process: applies migrations, starts background work, serves the webhook fast
// path and the Inngest endpoints directly from lib/ and inngest/, and hands every other request
// to Next.js (a documented custom server). Why not the Next router for webhooks and steps: it
// caps near 1,500 req/s on this hardware (DESIGN.md), and every step of every run is a request.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { inngest } from "@/inngest/client";
import { embeddedEngineEnabled, localAppOrigin, SERVE_PATH, startEmbeddedEngine } from "@/inngest/local";
import { inngestServeHandler } from "@/inngest/serve";
import { serverSettings } from "@/lib/config/server-settings";
import { getDatabase } from "@/lib/db";
import { foregroundBusy, runAsBackgroundWork, trackForegroundRequest } from "@/lib/db/work-priority";
import { registerHealthProbe } from "@/lib/health/check-health";
import { startOutboxRelay } from "@/lib/outbox/relay";
import { drainHookWrites, handleHookRequest } from "@/lib/webhooks/http-handler";
import { startDeliveryPurge } from "@/lib/webhooks/purge-deliveries";

// A self-hosted app does not report usage to Vercel unless its operator opts in.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const settings = serverSettings();
const dev = process.env.NODE_ENV !== "production";

const db = await getDatabase();

// The embedded engine runs unless the SDK's own variables point at a real Inngest server.
// Running runs is background work: on the embedded database it queues behind webhook acknowledgements.
const engine = embeddedEngineEnabled() ? await runAsBackgroundWork(() => startEmbeddedEngine({ db, appUrl: localAppOrigin(), yieldWhile: foregroundBusy })) : null;
registerHealthProbe("engine", async () => {
  if (!engine) return { status: "disabled", detail: "using the Inngest server configured by INNGEST_* variables" };
  const status = engine.status();
  if (status.syncError) return { status: "down", detail: status.syncError };
  return { status: "ok", detail: status.synced ? `embedded; ${status.functions.length} function(s)` : "embedded; syncing functions" };
});

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
  // The engine's event API and checkpoints, and the steps it asks the SDK to run, are background work.
  if (engine && (await runAsBackgroundWork(() => engine.handleRequest(req, res)))) return true; // /api/engine/*, /v1/checkpoint/*
  if (url === SERVE_PATH || url.startsWith(`${SERVE_PATH}?`)) {
    await runAsBackgroundWork(() => inngestServeHandler(req, res));
    return true;
  }
  return false;
}

const server = createServer((req, res) => {
  handleFastPath(req, res)
    .then((handled) => (handled ? undefined : handleWithNext(req, res)))
    .catch((error: unknown) => {
      console.error(`[server] ${req.method} ${req.url?.split("?")[0]} failed:`, error);
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "internal_error", message: "Internal server error" } }));
      } else {
        res.destroy();
      }
    });
});
// Slow senders are cut off instead of holding sockets open.
server.requestTimeout = settings.requestTimeoutMs;
server.headersTimeout = Math.min(settings.requestTimeoutMs, 20_000);

await new Promise<void>((resolve) => server.listen(settings.port, settings.host, resolve));
console.log(`[server] Switchyard ${dev ? "(development) " : ""}listening on http://${settings.host}:${settings.port} — open ${settings.publicUrl}`);

// The engine syncs the functions from /api/inngest once the server answers; an unsupported
// function configuration is a start-up error, not a silent gap.
engine?.ready.catch((error: Error) => {
  console.error(`[engine] ${error.message}`);
  process.exit(1);
});

// Hands stored run requests (written in the same transaction as each accepted delivery) to the
// engine; started after listen so its first sends reach a live engine.
const relay = startOutboxRelay({
  db,
  yieldWhile: foregroundBusy,
  send: (events) => inngest.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data as Record<string, unknown> }))),
});

// Deletes deliveries older than each workspace's retention and sent outbox events, hourly.
const purge = startDeliveryPurge({ db });

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
  await relay.stop().catch(() => {});
  await engine?.stop().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
