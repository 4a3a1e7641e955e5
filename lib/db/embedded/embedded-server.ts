// The embedded default database: a real PostgreSQL server that the app starts, owns and stops,
// with its data in one directory. It listens on a Unix socket inside that directory and on no TCP
// port (loopback on a free port only where sockets cannot be used), and syncs every commit to disk.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort } from "@/lib/net/free-port";
import { canWrite, postgresBinaries, serverUser, type RunAs } from "./binaries";

export interface EmbeddedServerOptions {
  /** The cluster directory (DATA_DIR/postgres for the app). Created and initialised on first start. */
  dataDir: string;
  /** The database the app uses, created on first start. */
  database?: string;
  /** Connections the app and its worker may open; max_connections is sized from it. */
  connections?: number;
  /** Extra server settings (`-c name=value`), e.g. for tests. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export interface EmbeddedServer {
  readonly dataDir: string;
  /** Connection URL of the app's database. */
  readonly url: string;
  urlFor(database: string): string;
  readonly pid: number;
  /** Called when the server process ends without stop() (crashed, killed). */
  onUnexpectedExit(listener: (reason: string) => void): void;
  /** Starts the server process again after an unexpected exit. */
  restart(): Promise<void>;
  /** Fast shutdown (open transactions roll back, everything committed is on disk), then waits for the exit. */
  stop(): Promise<void>;
  /** Asks for a fast shutdown without waiting (for process exit handlers). */
  stopSync(): void;
}

/** Another Switchyard process owns the server of this data directory. */
export class DataDirInUseError extends Error {}

const SUPERUSER = "postgres";
const SOCKET_PORT = 5432; // names the socket file (.s.PGSQL.5432) only: no TCP port is opened
// Unix socket paths are limited to 104-108 bytes depending on the platform.
const MAX_SOCKET_PATH = 100;
// Held by the owning app on a connection of its own: a second app finds it taken, while after the
// owner was killed the lock is free and the server it left behind can be taken over.
const OWNER_LOCK_ID = 0x5359_4f57; // "SYOW"
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "switchyard";
  const runAs = serverUser();
  const binaries = postgresBinaries(runAs);
  const passwordFile = `${dataDir}.password`;

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    initialiseCluster(dataDir, binaries.initdb, runAs, passwordFile, log);
  }
  const password = readFileSync(passwordFile, "utf8").trim();

  const leftover = readPostmasterPid(dataDir);
  if (leftover) await takeOverLeftover(dataDir, leftover, password, log);

  const useSocket = process.platform !== "win32" && path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`).length <= MAX_SOCKET_PATH;
  let endpoint: Endpoint = { host: useSocket ? dataDir : "127.0.0.1", port: SOCKET_PORT };
  if (!useSocket) log(`[db] no Unix socket for ${dataDir} here (platform or path length): the embedded PostgreSQL server listens on 127.0.0.1 on a free port`);

  const settings: Record<string, string> = {
    listen_addresses: useSocket ? "" : "127.0.0.1",
    unix_socket_directories: useSocket ? dataDir : "",
    unix_socket_permissions: "0700",
    max_connections: String(Math.max(40, (options.connections ?? 20) + 20)),
    // Every commit reaches the disk before it returns: an acknowledged webhook survives power loss.
    fsync: "on",
    synchronous_commit: "on",
    full_page_writes: "on",
    TimeZone: "UTC",
    log_timezone: "UTC",
    log_min_messages: "warning",
    log_checkpoints: "off",
    ...options.settings,
  };
  const settingArgs = Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]);

  const urlFor = (db: string) => connectionUrl(endpoint, db, useSocket ? null : password);
  const exitListeners: ((reason: string) => void)[] = [];
  let stopping = false;
  let child: ChildProcess;
  let owner: pg.Client;

  async function launch() {
    // One port for the process's lifetime: the app's pool keeps the URL across restarts of the server.
    if (!useSocket && endpoint.port === SOCKET_PORT) endpoint = { ...endpoint, port: await freePort() };
    child = spawnServer(binaries.postgres, ["-D", dataDir, "-p", String(endpoint.port), ...settingArgs], runAs, log);
    await waitUntilReady(child, urlFor("postgres"));
    owner = await claimOwnership(urlFor("postgres"), dataDir);
    child.once("exit", (code, signal) => {
      if (stopping) return;
      const reason = `the embedded PostgreSQL server (pid ${child.pid}) exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`;
      exitListeners.forEach((listener) => listener(reason));
    });
  }

  await launch();
  await ensureDatabase(urlFor("postgres"), database);

  return {
    dataDir,
    get url() {
      return urlFor(database);
    },
    urlFor,
    get pid() {
      return child.pid ?? 0;
    },
    onUnexpectedExit(listener) {
      exitListeners.push(listener);
    },
    async restart() {
      await owner.end().catch(() => {});
      const left = readPostmasterPid(dataDir);
      if (left) await takeOverLeftover(dataDir, left, password, log);
      await launch();
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      await owner.end().catch(() => {});
      await stopProcess(child);
    },
    stopSync() {
      if (stopping || child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill("SIGINT");
    },
  };
}

interface Endpoint {
  host: string;
  port: number;
}

function connectionUrl(endpoint: Endpoint, database: string, password: string | null): string {
  const auth = password ? `${SUPERUSER}:${encodeURIComponent(password)}` : SUPERUSER;
  if (endpoint.host.startsWith("/")) return `postgresql://${auth}@localhost/${database}?host=${encodeURIComponent(endpoint.host)}&port=${endpoint.port}`;
  return `postgresql://${auth}@${endpoint.host}:${endpoint.port}/${database}`;
}

/** initdb into a staging directory renamed into place, so an interrupted first start leaves nothing half made. */
function initialiseCluster(dataDir: string, initdb: string, runAs: RunAs | null, passwordFile: string, log: (line: string) => void) {
  const parent = path.dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is not empty but holds no PostgreSQL data directory (no PG_VERSION). Move it away or set DATA_DIR to another directory.`);
  }
  const staging = `${dataDir}.initdb-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  if (runAs) chownSync(staging, runAs.uid, runAs.gid);
  if (runAs && !canWrite(staging, runAs)) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `Switchyard runs as root, so its PostgreSQL server runs as the system user "${runAs.name}", which cannot reach ${parent} ` +
        "(it, or a directory above it such as /root, is closed to other users). Run Switchyard as an ordinary user, " +
        `set DATA_DIR to a directory "${runAs.name}" can reach, or set DATABASE_URL to a PostgreSQL server of your own.`,
    );
  }
  const password = randomBytes(24).toString("base64url");
  const pwfile = path.join(parent, `.initdb-password-${process.pid}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  log(`[db] creating the embedded PostgreSQL data directory ${dataDir} (first start)`);
  const result = spawnSync(
    initdb,
    [`--pgdata=${staging}`, `--username=${SUPERUSER}`, "--auth-local=trust", "--auth-host=scram-sha-256", `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C", "--no-instructions"],
    { uid: runAs?.uid, gid: runAs?.gid, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } },
  );
  rmSync(pwfile, { force: true });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`initdb failed for ${dataDir}: ${(result.stderr || result.error?.message || `exit code ${result.status}`).trim()}`);
  }
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(staging, dataDir);
  // Used only when the server listens on loopback TCP (no Unix sockets): local connections are trusted.
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
}

interface PostmasterPid {
  pid: number;
  port: number;
  socketDir: string;
  listenAddress: string;
}

/** postmaster.pid: pid, data dir, start time, port, socket dir, listen address, … (one per line). */
function readPostmasterPid(dataDir: string): PostmasterPid | null {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number(lines[3]) || SOCKET_PORT, socketDir: lines[4]?.trim() ?? "", listenAddress: lines[5]?.trim() ?? "" };
}

/**
 * A postmaster.pid from an earlier start: the server of an app that was killed (still running, or
 * gone), or the server of a Switchyard process that runs right now.
 */
async function takeOverLeftover(dataDir: string, leftover: PostmasterPid, password: string, log: (line: string) => void) {
  if (!isServerProcess(leftover.pid, dataDir)) {
    // The server is gone (or its pid now belongs to something else): PostgreSQL would refuse to start while the file names a live pid.
    rmSync(path.join(dataDir, "postmaster.pid"), { force: true });
    return;
  }
  const endpoint: Endpoint = leftover.socketDir ? { host: leftover.socketDir, port: leftover.port } : { host: "127.0.0.1", port: leftover.port };
  const ownedByLiveApp = async () => {
    const client = new pg.Client({ connectionString: connectionUrl(endpoint, "postgres", leftover.socketDir ? null : password) });
    try {
      await client.connect();
      return !(await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [OWNER_LOCK_ID])).rows[0].ok;
    } catch {
      // Not answering (starting up or shutting down): stop it below all the same.
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  };
  // The backend of an app killed a moment ago may still hold the lock until it notices its client
  // is gone (seen under load): ask again for up to two seconds before calling the directory in use.
  let owned = await ownedByLiveApp();
  for (let retry = 0; owned && retry < 10; retry++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    owned = await ownedByLiveApp();
  }
  if (owned) {
    throw new DataDirInUseError(
      `Another Switchyard process is using the database in ${dataDir} (its PostgreSQL server has pid ${leftover.pid}). ` +
        "Stop that process first, or give this one its own DATA_DIR.",
    );
  }
  log(`[db] stopping the embedded PostgreSQL server (pid ${leftover.pid}) left running by an earlier app process that did not shut down`);
  await signalAndWait(leftover.pid, dataDir);
}

/** True when `pid` is a live PostgreSQL server of this data directory. */
function isServerProcess(pid: number, dataDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (process.platform !== "linux") return true;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return path.basename(cmdline[0] ?? "").startsWith("postgres") && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}

async function signalAndWait(pid: number, dataDir: string) {
  const gone = () => !isServerProcess(pid, dataDir);
  try {
    process.kill(pid, "SIGINT"); // fast shutdown
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (!gone()) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGQUIT"); // immediate shutdown; recovery replays the WAL on the next start
      await sleep(500);
      break;
    }
    await sleep(50);
  }
}

function spawnServer(postgres: string, args: string[], runAs: RunAs | null, log: (line: string) => void): ChildProcess {
  const child = spawn(postgres, args, {
    uid: runAs?.uid,
    gid: runAs?.gid,
    // Its own process group: a Ctrl+C in the terminal reaches the app, which stops the server only
    // after the webhook writes in flight are stored.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" },
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      // Our own readiness probes, refused while the server starts, are not news.
      if (line.trim() && !line.includes("the database system is starting up")) log(`[postgres] ${line}`);
    }
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  child.on("error", (error) => log(`[postgres] could not run ${postgres}: ${error.message}`));
  return child;
}

async function waitUntilReady(child: ChildProcess, url: string) {
  let exited: string | null = null;
  const onExit = (code: number | null, signal: string | null) => (exited = signal ? `signal ${signal}` : `exit code ${code}`);
  child.once("exit", onExit);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited) throw new Error(`The embedded PostgreSQL server did not start (${exited}); its messages are above, marked [postgres].`);
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.query("SELECT 1");
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`The embedded PostgreSQL server did not accept connections within ${READY_TIMEOUT_MS / 1000} s: ${(error as Error).message}`);
      } finally {
        await client.end().catch(() => {});
      }
      await sleep(50);
    }
  } finally {
    child.off("exit", onExit);
  }
}

async function claimOwnership(url: string, dataDir: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: "switchyard-owner" });
  client.on("error", () => {}); // the server going away is reported through its exit
  await client.connect();
  const { ok } = (await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [OWNER_LOCK_ID])).rows[0];
  if (!ok) {
    await client.end();
    throw new DataDirInUseError(`Another Switchyard process took over the database in ${dataDir} while this one started. Stop it first, or give this one its own DATA_DIR.`);
  }
  return client;
}

async function ensureDatabase(url: string, database: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT"); // fast shutdown: a final checkpoint, then exit
  const timer = setTimeout(() => child.kill("SIGQUIT"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
