// A stand-alone webhook server process for the kill test and the ingest benchmark when server.ts
// does not serve /api/hooks yet: plain node:http + handleHookRequest on the process database
// (DATA_DIR or DATABASE_URL, migrated on start). Prints "listening <port>" when ready.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getDatabase } from "@/lib/db";
import { handleHookRequest } from "@/lib/webhooks/http-handler";

const db = await getDatabase();
const server = createServer((req, res) => {
  if (req.url?.startsWith("/api/hooks/")) {
    void handleHookRequest(req, res);
    return;
  }
  res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"Not found."}}');
});
server.requestTimeout = 30_000;
server.headersTimeout = 20_000;
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});

async function shutdown() {
  server.close();
  server.closeIdleConnections();
  await db.close().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
