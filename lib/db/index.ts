import { openDatabase, type Database } from "./client";
import { databaseConfigFromEnv, describeDatabase, type DatabaseConfig } from "./config";
import { superviseEmbeddedServer } from "./embedded/supervise";
import { refuseUnimportedPglite } from "./embedded/pglite-leftover";
import { applyMigrations } from "./migrate";

export type { Database } from "./client";

// The process-wide database lives on globalThis: server.ts and the routes Next.js bundles load
// this module separately, and the embedded server must be started once per process.
const holder = globalThis as unknown as { __switchyardDb?: Promise<Database> };

/** The process's database, opened (the embedded server started, migrations applied) on first use. */
export function getDatabase(): Promise<Database> {
  if (!holder.__switchyardDb && "__vitest_worker__" in globalThis && databaseConfigFromEnv().kind === "embedded") {
    // Inside a test worker the test sets the database; a step finishing after its test closed it
    // must not start an embedded server of its own (it would outlive the test run).
    return Promise.reject(new Error("No test database is set (setProcessDatabase): not starting an embedded PostgreSQL server inside a test worker"));
  }
  holder.__switchyardDb ??= startDatabase().catch((error) => {
    holder.__switchyardDb = undefined;
    throw error;
  });
  return holder.__switchyardDb;
}

/** Shorthand for the Prisma client of the process database. */
export async function prisma() {
  return (await getDatabase()).prisma;
}

/** Replaces the process database (tests open their own fresh one). */
export function setProcessDatabase(db: Database | undefined): void {
  holder.__switchyardDb = db ? Promise.resolve(db) : undefined;
}

async function startDatabase(config: DatabaseConfig = databaseConfigFromEnv()): Promise<Database> {
  const db = config.kind === "embedded" ? await superviseEmbeddedServer(config) : await openDatabase(config);
  try {
    const { applied } = await applyMigrations(db);
    if (config.kind === "embedded") await refuseUnimportedPglite(db);
    console.log(`[db] ${describeDatabase(db.config)}; ${applied.length ? `applied ${applied.join(", ")}` : "schema up to date"}`);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
