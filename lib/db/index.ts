import { openDatabase, type Database } from "./client";
import { databaseConfigFromEnv, describeDatabase, type DatabaseConfig } from "./config";
import { superviseEmbeddedServer } from "./embedded/supervise";
import { refuseUnimportedPglite } from "./embedded/pglite-leftover";
import { applyMigrations } from "./migrate";
import { processSlot } from "@/lib/process-singletons";

export type { Database } from "./client";

// One database per process (lib/process-singletons.ts says why): the embedded server must be started once.
const processDb = processSlot<Promise<Database>>("database");

/** The process's database, opened (the embedded server started, migrations applied) on first use. */
export function getDatabase(): Promise<Database> {
  if (!processDb.value && "__vitest_worker__" in globalThis && databaseConfigFromEnv().kind === "embedded") {
    // Inside a test worker the test sets the database; a step finishing after its test closed it
    // must not start an embedded server of its own (it would outlive the test run).
    return Promise.reject(new Error("No test database is set (setProcessDatabase): not starting an embedded PostgreSQL server inside a test worker"));
  }
  processDb.value ??= startDatabase().catch((error) => {
    processDb.value = undefined;
    throw error;
  });
  return processDb.value;
}

/** Shorthand for the Prisma client of the process database. */
export async function prisma() {
  return (await getDatabase()).prisma;
}

/** Replaces the process database (tests open their own fresh one). */
export function setProcessDatabase(db: Database | undefined): void {
  processDb.value = db ? Promise.resolve(db) : undefined;
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
