// The Switchyard process: applies migrations, starts background work, serves the webhook fast
// path directly from lib/ and hands every other request to Next.js (a documented custom server).
// Why not the Next router for webhooks: it caps near 1,500 req/s on this hardware (DESIGN.md).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { inngest } from "@/inngest/client";
import { serverSettings } from "@/lib/config/server-settings";
import { getDatabase } from "@/lib/db";
import { startOutboxRelay } from "@/lib/outbox/relay";
import { handleHookRequest } from "@/lib/webhooks/http-handler";

const settings = serverSettings();
const dev = process.env.NODE_ENV !== "production";

const db = await getDatabase();

// Hands stored run requests (written in the same transaction as each accepted delivery) to the engine.
const relay = startOutboxRelay({
  db,
  send: (events) => inngest.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data as Record<string, unknown> }))),
});

const app = next({ dev, hostname: settings.host, port: settings.port, turbopack: dev });
await app.prepare();
const handleWithNext = app.getRequestHandler();

/** Requests served without Next.js. Returns false for everything else. */
async function handleFastPath(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const url = req.url ?? "/";
  if (url.startsWith("/api/hooks/")) {
    await handleHookRequest(req, res);
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

server.listen(settings.port, settings.host, () => {
  console.log(`[server] Switchyard ${dev ? "(development)" : ""} listening on http://${settings.host}:${settings.port} — open ${settings.publicUrl}`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[server] ${signal}: shutting down`);
  server.close();
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
  await relay.stop().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
