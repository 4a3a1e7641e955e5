// The embedded default: a real PostgreSQL server the app starts in DATA_DIR/postgres. Checked
// with real processes: where it keeps its data and listens, that commits sync to disk, that a
// second owner is refused, that a server left behind by a killed app (or a stale postmaster.pid)
// is recovered, and that a server dying under a running app is reported and restarted.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDatabase } from "@/lib/db/config";
import { DataDirInUseError, startEmbeddedPostgres, type EmbeddedServer } from "@/lib/db/embedded/embedded-server";
import { superviseEmbeddedServer } from "@/lib/db/embedded/supervise";
import { makeDataDir } from "../helpers/embedded-data-dir";
import { until } from "../helpers/until";

const quiet = () => {};

/** Alive and not a zombie (an orphaned server that exits waits for a reaper that may never come). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function postmasterPid(clusterDir: string): number | null {
  const file = path.join(clusterDir, "postmaster.pid");
  return existsSync(file) ? Number(readFileSync(file, "utf8").split("\n")[0]) : null;
}

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL server", () => {
  let dataDir: string;
  let clusterDir: string;
  let server: EmbeddedServer | undefined;

  beforeAll(async () => {
    dataDir = await makeDataDir("switchyard-embedded-");
    clusterDir = path.join(dataDir, "postgres");
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps its data in the directory, listens on a socket there and on no TCP port, and syncs every commit", async () => {
    server = await startEmbeddedPostgres({ dataDir: clusterDir, log: quiet });
    expect(existsSync(path.join(clusterDir, "PG_VERSION"))).toBe(true);
    expect(existsSync(path.join(clusterDir, ".s.PGSQL.5432"))).toBe(true);
    const [settings] = await query<Record<string, string>>(
      server.url,
      `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit,
              current_setting('full_page_writes') AS full_page_writes, current_setting('listen_addresses') AS listen_addresses,
              current_database() AS database`,
    );
    // An acknowledged webhook must survive power loss: these three are what makes a commit durable.
    expect(settings).toEqual({ fsync: "on", synchronous_commit: "on", full_page_writes: "on", listen_addresses: "", database: "switchyard" });
    expect(describeDatabase({ kind: "postgres", url: server.url, poolSize: 1, embeddedDir: clusterDir })).toBe(`PostgreSQL (embedded) in ${clusterDir}`);
  });

  it("refuses a second owner of the same directory with a message that says what to do", async () => {
    await expect(startEmbeddedPostgres({ dataDir: clusterDir, log: quiet })).rejects.toThrow(DataDirInUseError);
    await expect(startEmbeddedPostgres({ dataDir: clusterDir, log: quiet })).rejects.toThrow(/Another Switchyard process is using the database .* Stop that process first, or give this one its own DATA_DIR/);
    // The refused start left the running server alone.
    expect((await query(server!.url, "SELECT 1 AS ok"))[0]).toEqual({ ok: 1 });
  });

  it("keeps committed data across a stop and start", async () => {
    await query(server!.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    await server!.stop();
    expect(postmasterPid(clusterDir)).toBeNull(); // a clean stop removes it
    server = await startEmbeddedPostgres({ dataDir: clusterDir, log: quiet });
    expect(await query(server.url, "SELECT v FROM kept")).toEqual([{ v: "still here" }]);
  });

  it("starts again after the server itself was SIGKILLed (stale postmaster.pid, crash recovery)", async () => {
    const pid = server!.pid;
    await query(server!.url, "INSERT INTO kept VALUES ('committed before the crash')");
    process.kill(pid, "SIGKILL");
    await until(() => !isRunning(pid), "the server to die");
    expect(postmasterPid(clusterDir)).toBe(pid);
    server = await startEmbeddedPostgres({ dataDir: clusterDir, log: quiet });
    expect(await query(server.url, "SELECT v FROM kept ORDER BY v")).toEqual([{ v: "committed before the crash" }, { v: "still here" }]);
  });

  it("takes over the server that an app killed with SIGKILL left running", async () => {
    await server!.stop();
    server = undefined;
    // An app process that starts the server and is then killed before it can stop it.
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import { startEmbeddedPostgres } from "@/lib/db/embedded/embedded-server";
         const s = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(clusterDir)}, log: () => {} });
         console.log("pid " + s.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout!.on("data", (chunk) => (out += chunk));
    const orphan = Number(await until(() => /pid (\d+)/.exec(out)?.[1], "the child's server", 60_000));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(isRunning(orphan)).toBe(true); // left behind, still serving the directory

    server = await startEmbeddedPostgres({ dataDir: clusterDir, log: quiet });
    expect(isRunning(orphan)).toBe(false);
    expect(server.pid).not.toBe(orphan);
    expect((await query(server.url, "SELECT count(*)::int AS n FROM kept"))[0]).toEqual({ n: 2 });
  });
});

describe("embedded server without a usable socket path", () => {
  it("listens on loopback TCP with password authentication when DATA_DIR is too long for a Unix socket", { timeout: 60_000 }, async () => {
    const dataDir = await makeDataDir("switchyard-long-");
    const clusterDir = path.join(dataDir, "a-directory-name-long-enough-that-the-socket-path-would-pass-the-platform-limit", "postgres");
    const server = await startEmbeddedPostgres({ dataDir: clusterDir, log: quiet });
    try {
      const url = new URL(server.url);
      expect(url.hostname).toBe("127.0.0.1");
      expect(url.password).not.toBe("");
      expect((await query<{ l: string }>(server.url, "SELECT current_setting('listen_addresses') AS l"))[0].l).toBe("127.0.0.1");
      url.password = "wrong";
      await expect(query(url.toString(), "SELECT 1")).rejects.toThrow(/password authentication failed/);
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("a running app whose embedded server dies", () => {
  it("reports the database as away, restarts the server, and works again", { timeout: 120_000 }, async () => {
    const dataDir = await makeDataDir("switchyard-supervise-");
    const clusterDir = path.join(dataDir, "postgres");
    const db = await superviseEmbeddedServer({ kind: "embedded", dataDir: clusterDir, poolSize: 2 });
    try {
      await db.query("SELECT 1");
      expect(db.serverProblem()).toBeNull();
      const pid = postmasterPid(clusterDir)!;
      process.kill(pid, "SIGKILL");
      const problem = await until(() => db.serverProblem(), "the app to notice");
      expect(problem).toMatch(/embedded PostgreSQL server \(pid \d+\) exited unexpectedly \(signal SIGKILL\); restarting it/);
      await until(() => db.serverProblem() === null && postmasterPid(clusterDir) !== pid, "the restart", 60_000);
      await until(async () => (await db.query<{ ok: number }>("SELECT 1 AS ok").catch(() => []))[0]?.ok === 1, "queries to work again", 30_000);
    } finally {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    }
    // close() stopped the server: nothing of it is left running.
    expect(postmasterPid(clusterDir)).toBeNull();
  });
});
