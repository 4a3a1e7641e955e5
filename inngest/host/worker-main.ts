// The engine worker process (SWITCHYARD_ENGINE_PROCESS=worker, PostgreSQL): started, niced and
// watched by worker-process.ts. Runs the engine, the SDK serve handler it calls and the outbox
// relay, with its own database connections and a loopback port of its own. Exits when the parent
// goes away, even by SIGKILL (the IPC channel closes); its job leases end with its connections and
// the next worker takes the jobs over.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { adoptEngineKeys } from "@/inngest/local/embedded-config";
import type { RunHost } from "./host-options";
import type { FromWorker, ToWorker } from "./worker-process";

// Calls in flight when the parent is gone get this long to finish; the rest are taken over later.
const ORPHAN_GRACE_MS = 1000;

// The Inngest SDK enumerates process.env on every request and checkpoint, which goes through the C
// environment; a plain copy reads the same values at object speed (docs/PERFORMANCE.md).
process.env = { ...process.env };

const send = (message: FromWorker) => process.connected && process.send!(message, () => {});

let host: RunHost | null = null;
let server: Server | null = null;
let stopping: Promise<void> | null = null;
function stop(graceful: boolean) {
  stopping ??= (async () => {
    server?.close();
    if (host) await Promise.race([host.stop(), new Promise((r) => setTimeout(r, graceful ? 12_000 : ORPHAN_GRACE_MS))]);
    process.exit(0);
  })();
}
process.on("disconnect", () => stop(false));
process.on("SIGTERM", () => stop(true));
process.on("SIGINT", () => {}); // a terminal's Ctrl-C reaches the whole group: the parent decides when the worker stops

const init = await new Promise<Extract<ToWorker, { type: "init" }>>((resolve) => {
  process.once("message", (message: ToWorker) => message.type === "init" && resolve(message));
});
// The parent's keys: its SDK client sends events with the same event key. Set before the client module loads.
adoptEngineKeys(init.keys);

const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (!host) {
    res.writeHead(503).end();
    return;
  }
  host
    .handleRequest(req, res)
    .then((handled) => handled || res.writeHead(404).end())
    .catch((error: unknown) => {
      console.error(`[engine] ${req.method} ${req.url?.split("?")[0]} failed:`, error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
});
server = httpServer;
await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
const { port } = httpServer.address() as { port: number };
// The SDK client (loaded below) resolves the engine's event and checkpoint API from HOST and PORT: this process.
process.env.HOST = "127.0.0.1";
process.env.PORT = String(port);

const [{ getDatabase }, { startRunsInProcess }, { kickOutboxRelay }] = await Promise.all([
  import("@/lib/db"),
  import("./in-process"),
  import("@/lib/outbox/kick"),
]);
process.on("message", (message: ToWorker) => {
  if (message.type === "kick") kickOutboxRelay();
  else if (message.type === "resync") host?.resync().catch((error: Error) => console.error(`[engine] re-sync failed: ${error.message}`));
  else if (message.type === "stop") stop(true);
  else if (message.type === "health") {
    void (host?.health() ?? Promise.resolve({ status: "down" as const, detail: "starting" })).then((health) => send({ type: "health", id: message.id, health }));
  }
});

const db = await getDatabase();
// No pacing while the parent acknowledges webhooks: this process runs at a lower CPU priority instead (worker-process.ts).
host = await startRunsInProcess({ db, appUrl: `http://127.0.0.1:${port}`, yieldWhile: () => false });
host.listening();
host.ready.then(
  () => send({ type: "ready" }),
  (error: Error) => send({ type: "syncFailed", message: error.message }),
);
