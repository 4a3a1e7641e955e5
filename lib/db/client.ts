import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { PostgresConfig } from "./config";
import { PrismaClient } from "./generated/client";

export type { PrismaClient };

/**
 * One open database: the Prisma client plus raw SQL access for what Prisma cannot do
 * (multi-statement migration scripts, advisory locks, SKIP LOCKED queues).
 */
export interface Database {
  readonly config: PostgresConfig;
  readonly prisma: PrismaClient;
  /** Runs a script of one or more statements inside one transaction. */
  execScriptInTransaction(sql: string, after?: (q: SqlQuery) => Promise<void>): Promise<void>;
  /** Runs `work` inside one transaction on one connection (BEGIN, its statements, COMMIT; ROLLBACK if it throws). */
  transaction<T>(work: (q: SqlQuery) => Promise<T>): Promise<T>;
  /** One parameterised statement outside any transaction. */
  query: SqlQuery;
  /** Holds a cross-process lock for the duration of `fn`. */
  withExclusiveLock<T>(lockId: number, fn: () => Promise<T>): Promise<T>;
  /** Why the database server is known to be away (the embedded server crashed and is restarting), or null. */
  serverProblem(): string | null;
  close(): Promise<void>;
}

export type SqlQuery = <Row = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions) => Promise<Row[]>;

export interface QueryOptions {
  /**
   * Keep the statement prepared under this name on each PostgreSQL connection, so it is parsed and
   * planned once per connection instead of on every call (for hot statements whose text never
   * changes; one name per SQL text).
   */
  preparedAs?: string;
}

/** Connects to a PostgreSQL server (the embedded one or DATABASE_URL's); `close()` ends the pool. */
export async function openDatabase(config: PostgresConfig): Promise<Database> {
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
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(async (s, p, options) =>
          (await (options?.preparedAs ? client.query({ name: options.preparedAs, text: s, values: p }) : client.query(s, p))).rows);
        await client.query("COMMIT");
        return result;
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
    /** Set by the embedded server's supervisor: why the database is unreachable right now, if it knows. */
    serverProblem: () => null,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
