// npm run db:import-pglite – one-time move of an earlier version's data from DATA_DIR/pglite
// (PGlite) into the PostgreSQL database this version uses (the embedded server in DATA_DIR, or
// DATABASE_URL). Run it with the app stopped. DATA_DIR/pglite is left as it was.
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openDatabase, type Database } from "@/lib/db/client";
import { databaseConfigFromEnv, describeDatabase } from "@/lib/db/config";
import { superviseEmbeddedServer } from "@/lib/db/embedded/supervise";
import { importPglite } from "@/lib/db/embedded/import-pglite";
import { pgliteDir, pgliteImportedMarker } from "@/lib/db/embedded/pglite-leftover";
import { applyMigrations } from "@/lib/db/migrate";

const source = pgliteDir();
if (!existsSync(path.join(source, "PG_VERSION"))) {
  console.error(`Nothing to import: ${source} holds no PGlite data directory (DATA_DIR is ${path.dirname(source)}).`);
  process.exit(1);
}
if (existsSync(pgliteImportedMarker())) {
  console.error(`${source} was imported already (${pgliteImportedMarker()}). Delete that file to import again into an empty database.`);
  process.exit(1);
}

const config = databaseConfigFromEnv();
let db: Database | undefined;
try {
  db = config.kind === "embedded" ? await superviseEmbeddedServer(config) : await openDatabase(config);
  await applyMigrations(db);
  console.log(`Importing ${source} into ${describeDatabase(db.config)} …`);
  const summary = await importPglite(source, db, (line) => console.log(`  ${line}`));
  writeFileSync(pgliteImportedMarker(), JSON.stringify({ importedAt: new Date().toISOString(), from: source, ...summary }, null, 2));
  console.log(`Imported ${summary.rows} rows from ${summary.tables.filter((t) => t.rows).length} tables. ${source} was not changed; remove it once you are satisfied.`);
} catch (error) {
  console.error(`Import failed, nothing was changed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db?.close();
}
