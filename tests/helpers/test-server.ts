// The PostgreSQL server the tests and benchmarks use: TEST_DATABASE_URL when set, otherwise an
// embedded server of the app's own kind, started once (vitest's global setup starts it for a whole
// test run and passes its URL to the workers in TEST_DATABASE_URL) in a temporary directory that is
// removed when it stops. Servers of runs that were killed are swept away by the next one.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded/embedded-server";

const PREFIX = "switchyard-test-pg-";

export interface TestServer {
  /** Admin URL (database `postgres`) of a server whose user may create databases. */
  url: string;
  stop(): Promise<void>;
}

/** Starts a throw-away embedded PostgreSQL server in a new temporary directory. */
export async function startTestServer(log: (line: string) => void = () => {}): Promise<TestServer> {
  sweepLeftovers();
  const root = mkdtempSync(path.join(os.tmpdir(), PREFIX));
  chmodSync(root, 0o755); // as root the server runs as `postgres`, which must be able to enter it
  writeFileSync(path.join(root, "owner.pid"), String(process.pid));
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedPostgres({
      dataDir: path.join(root, "postgres"),
      database: "postgres",
      connections: 200,
      log,
    });
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const onExit = () => {
    server.stopSync();
  };
  process.once("exit", onExit);
  return {
    url: server.urlFor("postgres"),
    async stop() {
      process.off("exit", onExit);
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Stops the servers of test runs whose process is gone (killed before they could clean up). */
function sweepLeftovers() {
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const root = path.join(os.tmpdir(), name);
    const owner = Number(readFileSafe(path.join(root, "owner.pid")));
    if (owner && isAlive(owner)) continue;
    const postmaster = Number(readFileSafe(path.join(root, "postgres", "postmaster.pid")).split("\n")[0]);
    if (postmaster && isAlive(postmaster)) {
      try {
        process.kill(postmaster, "SIGQUIT");
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return existsSync(file) ? readFileSync(file, "utf8") : "";
  } catch {
    return "";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

let shared: Promise<string> | undefined;

/** TEST_DATABASE_URL, or the URL of an embedded server started for this process on first use. */
export function testServerUrl(): Promise<string> {
  const configured = process.env.TEST_DATABASE_URL?.trim();
  if (configured) return Promise.resolve(configured);
  shared ??= startTestServer().then((server) => {
    // A benchmark or script outside vitest: the server lives as long as this process.
    process.env.TEST_DATABASE_URL = server.url;
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.stop().finally(() => process.exit(130)));
    return server.url;
  });
  return shared;
}
