// One-time move of an earlier version's PGlite data (DATA_DIR/pglite) into PostgreSQL. The old
// directory is never opened itself: a copy is, brought to the current schema with the app's own
// migrations, and its rows are copied table by table into the (empty) target database.
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Database } from "../client";
import { applyMigrations, type MigrationTarget } from "../migrate";

const PAGE_ROWS = 500;

export interface ImportSummary {
  tables: { table: string; rows: number }[];
  rows: number;
}

export async function importPglite(sourceDir: string, target: Database, log: (line: string) => void = () => {}): Promise<ImportSummary> {
  const [{ users }] = await target.query<{ users: number }>(`SELECT count(*)::int AS users FROM "User"`);
  if (users > 0) throw new Error("The target database already holds accounts: the import only fills an empty database, so nothing was changed.");

  const scratch = await mkdtemp(path.join(os.tmpdir(), "switchyard-pglite-import-"));
  // PGlite's module is loaded here only: the app itself never needs it.
  const { PGlite } = await import("@electric-sql/pglite");
  let source: InstanceType<typeof PGlite> | undefined;
  try {
    await cp(sourceDir, scratch, { recursive: true });
    source = new PGlite(scratch);
    await source.waitReady;
    const pglite = source;
    const { applied } = await applyMigrations(pgliteMigrationTarget(pglite));
    if (applied.length) log(`brought the copy of ${sourceDir} up to date: ${applied.join(", ")}`);

    const tables = await tablesInDependencyOrder(target);
    const summary: ImportSummary = { tables: [], rows: 0 };
    await target.execScriptInTransaction("SET LOCAL statement_timeout = 0", async (q) => {
      // Leftovers of the app's first start (nothing a user made) give way to the imported rows.
      for (const table of [...tables].reverse()) await q(`DELETE FROM ${quote(table)}`);
      for (const table of tables) {
        let rows = 0;
        for (let offset = 0; ; offset += PAGE_ROWS) {
          const page = await pglite.query<{ rows: unknown[] | null }>(
            `SELECT json_agg(t) AS rows FROM (SELECT * FROM ${quote(table)} ORDER BY 1 LIMIT ${PAGE_ROWS} OFFSET ${offset}) t`,
          );
          const batch = page.rows[0]?.rows ?? [];
          if (batch.length === 0) break;
          await q(`INSERT INTO ${quote(table)} SELECT * FROM json_populate_recordset(NULL::${quote(table)}, $1::json)`, [JSON.stringify(batch)]);
          rows += batch.length;
        }
        summary.tables.push({ table, rows });
        summary.rows += rows;
        if (rows) log(`${table}: ${rows} rows`);
      }
      // Identity columns continue after the imported ids.
      const sequences = await q<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
      );
      for (const { table_name, column_name } of sequences) {
        await q(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quote(column_name)}) FROM ${quote(table_name)}), 0) + 1, false)`,
          [quote(table_name), column_name],
        );
      }
    });
    return summary;
  } finally {
    await source?.close().catch(() => {});
    await rm(scratch, { recursive: true, force: true });
  }
}

/** What applyMigrations needs, on a PGlite instance (one connection: the lock is not needed). */
export function pgliteMigrationTarget(pglite: PGliteLike): MigrationTarget {
  return {
    query: async (sql, params) => (await pglite.query(sql, params)).rows as never,
    async execScriptInTransaction(sql, after) {
      await pglite.transaction(async (tx) => {
        await tx.exec(sql);
        if (after) await after(async (s, p) => (await tx.query(s, p)).rows as never);
      });
    },
    withExclusiveLock: (_id, fn) => fn(),
  };
}

type PGliteLike = Pick<import("@electric-sql/pglite").PGlite, "query" | "transaction">;

/** The app's tables, each after the tables its foreign keys point to. */
async function tablesInDependencyOrder(db: Database): Promise<string[]> {
  const tables = (
    await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`)
  ).map((t) => t.name);
  const edges = await db.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public' AND c.conrelid <> c.confrelid`,
  );
  const unquote = (name: string) => name.replace(/^"|"$/g, "");
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of edges) parents.get(unquote(child))?.add(unquote(parent));
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    for (const parent of parents.get(table) ?? []) visit(parent, path);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
