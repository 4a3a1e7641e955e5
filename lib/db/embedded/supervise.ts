// The app's side of the embedded server: start it, connect, and keep it running. If the server
// dies while the app runs, the app says so (log and /api/health; webhook senders get 503 +
// Retry-After meanwhile) and starts it again; when it cannot, the app exits non-zero so that a
// supervisor (systemd, Docker, …) restarts the whole thing — never a silent hang.
import { openDatabase, type Database } from "../client";
import type { DatabaseConfig } from "../config";
import { startEmbeddedPostgres } from "./embedded-server";

const RESTART_DELAYS_MS = [200, 1000, 2000, 5000, 10_000];

export async function superviseEmbeddedServer(config: Extract<DatabaseConfig, { kind: "embedded" }>): Promise<Database> {
  // The app's pool and up to four engine workers' (same size each: SWITCHYARD_ENGINE_WORKERS), plus headroom for the owner connection and tools.
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, connections: config.poolSize * 5 });
  let db: Database;
  try {
    db = await openDatabase({ kind: "postgres", url: server.url, poolSize: config.poolSize, embeddedDir: config.dataDir });
  } catch (error) {
    await server.stop();
    throw error;
  }
  let problem: string | null = null;
  let closing = false;

  server.onUnexpectedExit(async (reason) => {
    problem = `${reason}; restarting it`;
    console.error(`[db] ${problem}`);
    for (const delay of RESTART_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (closing) return;
      try {
        await server.restart();
        problem = null;
        console.log(`[db] the embedded PostgreSQL server is running again (pid ${server.pid})`);
        return;
      } catch (error) {
        problem = `${reason}; restarting it failed: ${(error as Error).message}`;
        console.error(`[db] ${problem}`);
      }
    }
    console.error("[db] giving up on the embedded PostgreSQL server: exiting so that the app can be restarted");
    process.exit(1);
  });

  // However the process ends (a forced exit after a stuck shutdown included), the server goes with it.
  process.once("exit", () => server.stopSync());
  const closePool = db.close.bind(db);
  return Object.assign(db, {
    serverProblem: () => problem,
    async close() {
      closing = true;
      await closePool().catch(() => {});
      await server.stop();
    },
  });
}
