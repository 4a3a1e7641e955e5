// A DATA_DIR for an app process on the embedded default (DATABASE_URL unset): tests and
// benchmarks seed it through the same embedded server the app then starts by itself.
import { chmod, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded/embedded-server";
import { applyMigrations } from "@/lib/db/migrate";

/** A new, empty temporary DATA_DIR that the server's user can enter (as root it runs as `postgres`). */
export async function makeDataDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

/** Starts the embedded server of `dataDir` as the app would, and opens its migrated database. */
export async function openEmbeddedDataDir(dataDir: string): Promise<{ server: EmbeddedServer; db: Database; close(): Promise<void> }> {
  const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), log: () => {} });
  const db = await openDatabase({ kind: "postgres", url: server.url, poolSize: 2 });
  await applyMigrations(db);
  return {
    server,
    db,
    async close() {
      await db.close().catch(() => {});
      await server.stop();
    },
  };
}
