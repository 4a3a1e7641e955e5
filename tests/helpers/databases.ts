// Fresh databases for tests: a new database on the test run's PostgreSQL server (the embedded
// one the global setup starts, or TEST_DATABASE_URL), migrated with the app's own migrations,
// dropped when the test file ends.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { testServerUrl } from "./test-server";

export type DatabaseKind = "postgres";
export const DATABASE_KINDS: DatabaseKind[] = ["postgres"];

export interface TestDatabase extends Database {
  /** The database's own connection URL (for processes a test starts). */
  readonly url: string;
  /** Closes the connections and drops the database. */
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = await testServerUrl();
  const name = `switchyard_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 5 });
  await applyMigrations(db);
  return Object.assign(db, {
    url: url.toString(),
    async destroy() {
      await db.close().catch(() => {}); // a test may have closed it already
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}

async function adminQuery(adminUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The tests need a PostgreSQL server at ${adminUrl.replace(/:[^:@/]+@/, ":***@")} (${(error as Error).message}). ` +
        "Unset TEST_DATABASE_URL to let the tests start their own, or point it at a server whose user may create databases.",
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Declares a suite on a fresh, migrated database: `getDb()` returns it, opened before the suite's
 * tests and destroyed after them.
 */
export function describeEachDatabase(name: string, suite: (getDb: () => TestDatabase, kind: DatabaseKind) => void) {
  for (const kind of DATABASE_KINDS) {
    describe(`${name} [${kind}]`, () => {
      let db: TestDatabase | undefined;
      beforeAll(async () => {
        db = await createTestDatabase();
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
