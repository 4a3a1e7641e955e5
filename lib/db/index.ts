import { openDatabase, type Database } from "./client";
import { databaseConfigFromEnv, describeDatabase } from "./config";
import { applyMigrations } from "./migrate";

export type { Database } from "./client";

// The process-wide database lives on globalThis: server.ts and the routes Next.js bundles
// load this module separately, and PGlite allows only one opener of a data directory.
const holder = globalThis as unknown as { __switchyardDb?: Promise<Database> };

/** The process's database, opened (and migrated) on first use. */
export function getDatabase(): Promise<Database> {
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

async function startDatabase(): Promise<Database> {
  const config = databaseConfigFromEnv();
  const db = await openDatabase(config);
  const { applied } = await applyMigrations(db);
  console.log(`[db] ${describeDatabase(config)}; ${applied.length ? `applied ${applied.join(", ")}` : "schema up to date"}`);
  return db;
}
