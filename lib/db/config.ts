import path from "node:path";

/** A PostgreSQL server to connect to: the embedded one's socket, or the operator's DATABASE_URL. */
export interface PostgresConfig {
  kind: "postgres";
  url: string;
  poolSize: number;
  /** Set when the app started this server itself (the embedded default): its data directory. */
  embeddedDir?: string;
}

/** Where the app keeps its data: the embedded PostgreSQL server in DATA_DIR, or a server of the operator's. */
export type DatabaseConfig = { kind: "embedded"; dataDir: string; poolSize: number } | PostgresConfig;

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR || ".data");
}

/** The embedded server's cluster directory inside DATA_DIR. */
export function embeddedPostgresDir(): string {
  return path.join(dataDir(), "postgres");
}

export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const poolSize = Number(env.DATABASE_POOL_SIZE || 10);
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new Error(`DATABASE_POOL_SIZE must be a positive integer (got "${env.DATABASE_POOL_SIZE}")`);
  }
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: "embedded", dataDir: embeddedPostgresDir(), poolSize };
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${url.split(":")[0]}:…"). ` +
        "Leave it unset to use the embedded PostgreSQL server in DATA_DIR.",
    );
  }
  return { kind: "postgres", url, poolSize };
}

/** A description safe to print: the password is replaced. */
export function describeDatabase(config: DatabaseConfig): string {
  const embeddedDir = config.kind === "embedded" ? config.dataDir : config.embeddedDir;
  if (embeddedDir) return `PostgreSQL (embedded) in ${embeddedDir}`;
  const url = new URL((config as PostgresConfig).url);
  // A Unix socket directory travels as ?host=/path (the embedded server's URL, as the engine worker gets it).
  const socketDir = url.searchParams.get("host");
  return `PostgreSQL at ${socketDir?.startsWith("/") ? `${socketDir} (socket)` : url.host}${url.pathname}`;
}
