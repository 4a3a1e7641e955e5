// Earlier versions kept the embedded database in DATA_DIR/pglite (PGlite). It is never opened or
// changed by the app any more; `npm run db:import-pglite` copies its data into the embedded
// PostgreSQL server once. Until then an empty new database next to it would look like data loss.
import { existsSync } from "node:fs";
import path from "node:path";
import type { Database } from "../client";
import { dataDir } from "../config";

export function pgliteDir(): string {
  return path.join(dataDir(), "pglite");
}

/** Written by the import, so later starts know the old directory was brought over. */
export function pgliteImportedMarker(): string {
  return path.join(dataDir(), "pglite-imported.json");
}

/** Refuses to start on an empty database while DATA_DIR/pglite holds data that was never imported. */
export async function refuseUnimportedPglite(db: Database): Promise<void> {
  const dir = pgliteDir();
  if (!existsSync(path.join(dir, "PG_VERSION")) || existsSync(pgliteImportedMarker())) return;
  const [{ users }] = await db.query<{ users: number }>(`SELECT count(*)::int AS users FROM "User"`);
  if (users > 0) {
    console.warn(`[db] ${dir} holds data of an earlier version (PGlite) that was not imported; this app does not use it.`);
    return;
  }
  throw new Error(
    `${dir} holds the data of an earlier Switchyard version (PGlite), which this version no longer uses: it keeps its data in a ` +
      `PostgreSQL server under ${path.join(dataDir(), "postgres")}. The old directory is left untouched. Either:\n` +
      "  - bring the data over once: stop the app, run `npm run db:import-pglite`, then `npm start` again; or\n" +
      `  - start empty: move ${dir} out of DATA_DIR (keep it as a backup), then \`npm start\` again.`,
  );
}
