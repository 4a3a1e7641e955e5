// A stand-alone webhook server process for the kill test and the ingest benchmark when server.ts
// does not serve /api/hooks yet: plain node:http + handleHookRequest on the process database
// (DATA_DIR or DATABASE_URL, migrated on start). With SERVE_RUNS=1 it also executes the runs as
// server.ts does (startRunHost: on PostgreSQL in the engine worker process), i.e. server.ts
// without Next.js. Prints "listening <port>" when ready.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startRunHost } from "@/inngest/host/run-host";
import { httpTimeouts } from "@/lib/config/http-timeouts";
import { requestTimeoutMs } from "@/lib/config/server-settings";
import { getDatabase } from "@/lib/db";
import { foregroundBusy, trackForegroundRequest } from "@/lib/db/work-priority";
import { handleHookRequest } from "@/lib/webhooks/ingress/http-handler";

const db = await getDatabase();
const runs = process.env.SERVE_RUNS === "1"
  ? await startRunHost({ db, appUrl: "http://127.0.0.1:1", publicUrl: "https://switchyard.test", yieldWhile: foregroundBusy })
  : null;
// REQUEST_TIMEOUT_MS enforced as server.ts does.
const server = createServer({ ...httpTimeouts(requestTimeoutMs()).server, keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.url?.startsWith("/api/hooks/")) {
    const done = trackForegroundRequest();
    void handleHookRequest(req, res).finally(done);
    return;
  }
  void (runs?.handleRequest(req, res) ?? Promise.resolve(false)).then(
    (handled) => handled || res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"Not found."}}'),
  );
});
server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  runs?.listening();
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
runs?.ready.catch((error: Error) => {
  console.error(`[engine] ${error.message}`);
  process.exit(1);
});

async function shutdown() {
  server.close();
  server.closeIdleConnections();
  await runs?.stop().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
