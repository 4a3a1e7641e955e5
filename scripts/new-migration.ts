// npm run db:diff -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the schema
// of the last migration (prisma/migrations/schema.snapshot.prisma) to prisma/schema.prisma.
// Prisma's CLI wants a database connection even to diff two schema files: a throw-away embedded
// PostgreSQL server provides one.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded/embedded-server";

const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:diff -- <name>   (lowercase letters, digits and _)");
  process.exit(2);
}
const snapshot = "prisma/migrations/schema.snapshot.prisma";
const scratch = mkdtempSync(path.join(os.tmpdir(), "switchyard-diff-"));
chmodSync(scratch, 0o755); // as root the server runs as `postgres`
const server = await startEmbeddedPostgres({ dataDir: path.join(scratch, "postgres"), log: () => {} });
let sql: string;
try {
  sql = execFileSync(
    "npx",
    ["prisma", "migrate", "diff", "--from-schema-datamodel", snapshot, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PRISMA_CLI_DATABASE_URL: server.url } },
  );
} finally {
  await server.stop();
  rmSync(scratch, { recursive: true, force: true });
}
if (!sql.replace(/--.*$/gm, "").trim()) {
  console.log("No schema changes: no migration written.");
} else {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join("prisma/migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`Wrote ${dir}/migration.sql`);
}
copyFileSync("prisma/schema.prisma", snapshot);
