import path from "node:path";

/** Where the app keeps its data: an embedded PGlite directory, or a PostgreSQL server. */
export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string | null }
  | { kind: "postgres"; url: string; poolSize: number };

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR || ".data");
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: "pglite", dataDir: path.join(dataDir(), "pglite") };
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${url.split(":")[0]}:…"). ` +
        "Leave it unset to use the embedded PGlite database in DATA_DIR.",
    );
  }
  const poolSize = Number(env.DATABASE_POOL_SIZE || 10);
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new Error(`DATABASE_POOL_SIZE must be a positive integer (got "${env.DATABASE_POOL_SIZE}")`);
  }
  return { kind: "postgres", url, poolSize };
}

/** A URL safe to print: the password is replaced. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "pglite") return config.dataDir ? `PGlite at ${config.dataDir}` : "PGlite in memory";
  const url = new URL(config.url);
  if (url.password) url.password = "***";
  return `PostgreSQL at ${url.host}${url.pathname}`;
}
