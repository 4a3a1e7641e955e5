// Fresh databases for tests: an in-memory PGlite, and a new PostgreSQL database on the
// machine's server (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres),
// both migrated with the app's own migrations, dropped when the test file ends.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

export type DatabaseKind = "pglite" | "postgres";
export const DATABASE_KINDS: DatabaseKind[] = ["pglite", "postgres"];

const adminUrl = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase extends Database {
  /** Drops the database (PostgreSQL) or closes it (PGlite). */
  destroy(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const db = await openDatabase({ kind: "pglite", dataDir: null });
    await applyMigrations(db);
    return Object.assign(db, { destroy: () => db.close() });
  }
  const name = `switchyard_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 5 });
  await applyMigrations(db);
  return Object.assign(db, {
    async destroy() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The PostgreSQL tests need a server at ${adminUrl.replace(/:[^:@/]+@/, ":***@")} (${(error as Error).message}). ` +
        "Start PostgreSQL or point TEST_DATABASE_URL at one whose user may create databases.",
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Declares the same suite once per database kind. `getDb()` returns that kind's fresh,
 * migrated database, opened before the suite's tests and destroyed after them.
 */
export function describeEachDatabase(name: string, suite: (getDb: () => TestDatabase, kind: DatabaseKind) => void) {
  for (const kind of DATABASE_KINDS) {
    describe(`${name} [${kind}]`, () => {
      let db: TestDatabase | undefined;
      beforeAll(async () => {
        db = await createTestDatabase(kind);
      });
      afterAll(async () => {
        await db?.destroy();
      });
      suite(() => {
        if (!db) throw new Error("test database not ready");
        return db;
      }, kind);
    });
  }
}
