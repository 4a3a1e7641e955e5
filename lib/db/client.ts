import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { DatabaseConfig } from "./config";
import { PriorityGate } from "./priority-gate";
import { foregroundBusy } from "./work-priority";
import { PrismaClient } from "./generated/client";

export type { PrismaClient };

/**
 * One open database: the Prisma client plus raw SQL access for what Prisma cannot do
 * (multi-statement migration scripts, advisory locks, SKIP LOCKED queues).
 */
export interface Database {
  readonly config: DatabaseConfig;
  readonly prisma: PrismaClient;
  /** Runs a script of one or more statements inside one transaction. */
  execScriptInTransaction(sql: string, after?: (q: SqlQuery) => Promise<void>): Promise<void>;
  /** One parameterised statement outside any transaction. */
  query: SqlQuery;
  /** Holds a cross-process lock for the duration of `fn` (no-op on single-process PGlite). */
  withExclusiveLock<T>(lockId: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type SqlQuery = <Row = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions) => Promise<Row[]>;

export interface QueryOptions {
  /**
   * Keep the statement prepared under this name on each PostgreSQL connection, so it is parsed and
   * planned once per connection instead of on every call (for hot statements whose text never
   * changes; one name per SQL text). PGlite ignores it.
   */
  preparedAs?: string;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === "pglite" ? openPglite(config) : openPostgres(config);
}

async function openPglite(config: Extract<DatabaseConfig, { kind: "pglite" }>): Promise<Database> {
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const pglite = config.dataDir ? new PGlite(config.dataDir) : new PGlite();
  await pglite.waitReady;
  // A new 16 MB WAL segment is not zero-filled first: PGlite's single backend fills it inline, which
  // stalled the statement crossing the boundary by 10-20 ms (2-6 ms without) about every 6,000
  // accepted webhooks. Zero-filling only reserves disk space early; recovery does not rely on it.
  // A session setting (PGlite has one session), so the data directory's postgresql.conf stays as is.
  await pglite.exec("SET wal_init_zero = off");
  // Every use of the connection, Prisma's included, passes the gate that lets webhook
  // acknowledgements go before queued engine work.
  const gate = new PriorityGate(100, foregroundBusy);
  const gated = {
    query: ((...args: Parameters<PGlite["query"]>) => gate.run(() => pglite.query(...args))) as PGlite["query"],
    exec: ((...args: Parameters<PGlite["exec"]>) => gate.run(() => pglite.exec(...args))) as PGlite["exec"],
    transaction: ((callback: Parameters<PGlite["transaction"]>[0]) => gate.run(() => pglite.transaction(callback))) as PGlite["transaction"],
  };
  // pglite-prisma-adapter 0.6 is typed against an older driver-adapter-utils; the runtime
  // interface is the same one Prisma 6.19 calls (the migration and query tests prove it). It
  // calls only query, exec and transaction.
  const adapter = new PrismaPGlite(gated as unknown as PGlite) as unknown as PrismaPg;
  const prisma = new PrismaClient({ adapter });
  const query: SqlQuery = async (sql, params) => (await gated.query(sql, params)).rows as never;
  return {
    config,
    prisma,
    query,
    async execScriptInTransaction(sql, after) {
      await gated.transaction(async (tx) => {
        await tx.exec(sql);
        if (after) await after(async (s, p) => (await tx.query(s, p)).rows as never);
      });
    },
    withExclusiveLock: (_id, fn) => fn(),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(config: Extract<DatabaseConfig, { kind: "postgres" }>): Promise<Database> {
  // application_name tells the app's connections from the engine worker's in pg_stat_activity
  // (the worker sets PGAPPNAME); an application_name in DATABASE_URL wins over both.
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize, application_name: process.env.PGAPPNAME || "switchyard" });
  // A pool error (server restart, idle connection dropped) must not crash the process.
  pool.on("error", (error) => console.error(`[db] idle PostgreSQL connection failed: ${error.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const query: SqlQuery = async (sql, params, options) =>
    (await (options?.preparedAs ? pool.query({ name: options.preparedAs, text: sql, values: params }) : pool.query(sql, params))).rows;
  return {
    config,
    prisma,
    query,
    async execScriptInTransaction(sql, after) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(sql);
        if (after) await after(async (s, p) => (await client.query(s, p)).rows);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async withExclusiveLock(lockId, fn) {
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock($1)", [lockId]);
        try {
          return await fn();
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [lockId]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
