// Child process for worker-process.test.ts: server.ts without Next.js. Serves webhooks and starts
// run execution with startRunHost on the process database (DATABASE_URL), so on PostgreSQL the
// engine runs in its worker process. Prints "listening <port>" when ready.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startRunHost } from "@/inngest/host/run-host";
import { getDatabase } from "@/lib/db";
import { foregroundBusy, trackForegroundRequest } from "@/lib/db/work-priority";
import { handleHookRequest } from "@/lib/webhooks/http-handler";

const db = await getDatabase();
const runs = await startRunHost({ db, appUrl: "http://127.0.0.1:1", publicUrl: "https://switchyard.test", yieldWhile: foregroundBusy });
const server = createServer((req, res) => {
  if (req.url?.startsWith("/api/hooks/")) {
    const done = trackForegroundRequest();
    void handleHookRequest(req, res).finally(done);
    return;
  }
  void runs.handleRequest(req, res).then((handled) => handled || res.writeHead(404).end());
});
server.listen(0, "127.0.0.1", () => {
  runs.listening();
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
runs.ready.catch((error: Error) => {
  console.error(`[engine] ${error.message}`);
  process.exit(1);
});
process.on("SIGTERM", () => {
  server.close();
  void runs.stop().then(() => process.exit(0));
});
