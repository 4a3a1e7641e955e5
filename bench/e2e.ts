// npm run bench:e2e [-- --db=external|embedded|both --modes=burst,paced,single --burst=5000 --connections=50
//                      --rate=50 --duration=60 --single=100 --repeat=1 --drain=300 --poll=250 --keep]
//
// The product end to end, driven only through HTTP as a user's systems would: starts the server (the
// compiled process `npm start` runs when `npm run build` has been run; server.ts in development mode otherwise,
// which the output says), signs up, creates an API key, allows the loopback receiver's host, creates
// a five-step flow through /api/v1 (webhook → transform → condition → transform → HTTP request to a
// loopback receiver → transform), publishes it, and sends webhooks to its URL. Completion is read
// through /api/v1 too: /api/v1/metrics (runs still queued/running/waiting = backlog, finished runs)
// every --poll ms (default 250), /api/v1/runs for each run's createdAt → finishedAt.
//
// Modes (--modes, default all three):
//   burst   --burst webhooks (default 5,000) with --connections in flight (default 50); repeated
//           --repeat times (memory across bursts: "RSS after", "PSS after" and "Node.js RSS after" each). Prints accepted/s, runs finished/s (first send →
//           last run done), backlog peak, drain time after the last acknowledgement, run p50/p99, and
//           the CPU time the app's processes used per webhook+run (user + system, from /proc: the
//           figure least disturbed by other load on the machine).
//   paced   --rate webhooks/s (default 50) for --duration s (default 60), open loop, each timed from its
//           scheduled send: ack p50/p99, backlog peak, drain after the last send.
//   single  --single webhooks (default 100) one at a time, each after the previous run finished (polled
//           every 50 ms) plus 20 ms: webhook received → run finished p50/p99 (the run's createdAt →
//           finishedAt, both stamped by the app, so the polling does not add to them).
// Databases (--db, default external):
//   external  a fresh database on BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres),
//             dropped at the end (--keep leaves it); its server's memory is not in the peak RSS.
//   embedded  no DATABASE_URL: the app's embedded default, with a fresh DATA_DIR.
// Peak RSS sums VmHWM of server.ts and every process below it (engine worker, embedded database).
// BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" passes node flags to server.ts (the engine
// worker inherits them). The server's output goes to $TMPDIR/switchyard-e2e-server-<pid>.log. Cleans up (server process group, database, temp dir) on exit and on Ctrl-C.
// Prints numbers; never fails on timing.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync, readdirSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { Agent, createServer, request, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { BUILT_SERVER, freePort, productionBuildExists } from "@/tests/webhooks/support/processes";

const REPO = path.resolve(import.meta.dirname, "..");
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const num = (name: string, fallback: number) => Number(args.get(name) ?? fallback);
const modes = (args.get("modes") ?? "burst,paced,single").split(",");
const dbKinds = (args.get("db") ?? "external") === "both" ? ["external", "embedded"] : [args.get("db") ?? "external"];
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const POLL_MS = num("poll", 250);
const DRAIN_LIMIT_MS = num("drain", 300) * 1000;
const production = productionBuildExists();

const cleanups: (() => Promise<void>)[] = [];
async function cleanUp() {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch((error) => console.error(`cleanup: ${(error as Error).message}`));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

interface Row {
  db: string;
  mode: string;
  figures: Record<string, string>;
}
const rows: Row[] = [];

try {
  console.log(`e2e benchmark: server.ts in ${production ? "production" : "DEVELOPMENT (no build: run `npm run build`; API calls go through Next dev)"} mode`);
  console.log(`machine: ${os.cpus().length} cores, Node ${process.version}; load generator, receiver and database on the same machine\n`);
  for (const kind of dbKinds) await benchOne(kind);
} finally {
  await cleanUp();
}
for (const row of rows) console.log(`${row.db.padEnd(9)} ${row.mode.padEnd(8)} ${Object.entries(row.figures).map(([k, v]) => `${k} ${v}`).join(" · ")}`);
process.exit(0);

async function benchOne(kind: string) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "switchyard-e2e-"));
  // As root the embedded PostgreSQL server runs as the "postgres" user, which must reach DATA_DIR (mkdtemp makes it 0700).
  await chmod(dataDir, 0o755);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: "" };
  if (kind === "external") {
    const name = `sy_bench_e2e_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    if (args.has("keep")) console.log(`--keep: the database ${name} stays`);
    else cleanups.push(async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
  } else if (kind !== "embedded") throw new Error(`--db must be external, embedded or both (got ${kind})`);

  const receiver = await startReceiver();
  cleanups.push(() => new Promise((resolve) => receiver.server.close(() => resolve())));
  const app = await startApp(env);
  const api = await setUp(app.url, receiver.url);
  console.log(`[${kind}] app pid ${app.pid}, flow ${api.flowId}, webhook ${api.hookUrl}`);

  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let sent = 0;
  const body = () => JSON.stringify({ id: `evt_${++sent}`, type: "order.paid", amount: 4200 + (sent % 100), currency: "EUR", customer: { email: `c${sent}@example.com` } });
  const post = () => timedPost(api.hookUrl, body(), agent);

  if (modes.includes("single")) {
    const count = num("single", 100);
    const since = new Date();
    for (let i = 0; i < count; i++) {
      const done = (await metrics(api)).finished;
      const res = await post();
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
      // The figure comes from the run's own timestamps; polling only paces the loop, gently (each poll is a Next request on the app's cores).
      while ((await metrics(api, 5)).finished <= done) await sleep(50);
      await sleep(20);
    }
    const runs = await runDurations(api, since);
    rows.push({ db: kind, mode: "single", figures: { runs: String(runs.length), "received → finished p50": `${pct(runs, 50)} ms`, p99: `${pct(runs, 99)} ms`, max: `${Math.max(...runs)} ms` } });
  }

  if (modes.includes("burst")) {
    const total = num("burst", 5000);
    const connections = num("connections", 50);
    for (let round = 1; round <= num("repeat", 1); round++) {
      const since = new Date();
      const before = await metrics(api);
      const watch = watchBacklog(api);
      const t0 = performance.now();
      const cpu0 = app.cpuMs();
      const acks: number[] = [];
      let next = 0;
      let failed = 0;
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < total) {
            next++;
            const res = await post();
            if (res.status === 202) acks.push(res.ms);
            else failed++;
          }
        }),
      );
      const lastAck = performance.now();
      const done = await watch.until(before.finished + acks.length);
      const cpuPerRun = (app.cpuMs() - cpu0) / acks.length;
      const runs = await runDurations(api, since);
      rows.push({
        db: kind,
        mode: `burst ${round}`,
        figures: {
          webhooks: `${acks.length} accepted, ${failed} refused`,
          "accepted/s": ((acks.length / (lastAck - t0)) * 1000).toFixed(0),
          "ack p99": `${pct(acks, 99)} ms`,
          "runs finished/s": done ? ((acks.length / (done - t0)) * 1000).toFixed(1) : `not drained in ${DRAIN_LIMIT_MS / 1000} s`,
          "backlog peak": String(watch.peak()),
          "drain after last ack": done ? `${((done - lastAck) / 1000).toFixed(1)} s` : "-",
          "run p50": `${pct(runs, 50)} ms`,
          "run p99": `${pct(runs, 99)} ms`,
          "app CPU per webhook+run": `${cpuPerRun.toFixed(1)} ms`,
          "peak RSS": `${mb(app.peakRss())} (${app.processes()} processes)`,
          "RSS after": mb(app.rss()),
          "PSS after": mb(app.pss()),
          "Node.js RSS after": mb(app.nodeRss()),
        },
      });
      console.log(`[${kind}] burst ${round}: ${JSON.stringify(rows.at(-1)!.figures)}`);
    }
  }

  if (modes.includes("paced")) {
    const rate = num("rate", 50);
    const seconds = num("duration", 60);
    const since = new Date();
    const before = await metrics(api);
    const watch = watchBacklog(api);
    const t0 = performance.now();
    const acks: number[] = [];
    let failed = 0;
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < rate * seconds; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      inFlight.push(
        post().then((res) => {
          if (res.status === 202) acks.push(performance.now() - due);
          else failed++;
        }),
      );
    }
    await Promise.all(inFlight);
    const lastSend = performance.now();
    const done = await watch.until(before.finished + acks.length);
    const runs = await runDurations(api, since);
    rows.push({
      db: kind,
      mode: "paced",
      figures: {
        rate: `${rate}/s for ${seconds} s`,
        webhooks: `${acks.length} accepted, ${failed} refused`,
        "ack p50": `${pct(acks, 50)} ms`,
        "ack p99": `${pct(acks, 99)} ms`,
        "backlog peak": String(watch.peak()),
        "drain after last send": done ? `${((done - lastSend) / 1000).toFixed(2)} s` : `not drained in ${DRAIN_LIMIT_MS / 1000} s`,
        "run p50": `${pct(runs, 50)} ms`,
        "run p99": `${pct(runs, 99)} ms`,
        "peak RSS": mb(app.peakRss()),
      },
    });
    console.log(`[${kind}] paced: ${JSON.stringify(rows.at(-1)!.figures)}`);
  }
  agent.destroy();
  rows.push({ db: kind, mode: "memory", figures: { "peak RSS, all processes": `${mb(app.peakRss())} (${app.processes()} processes)`, "receiver calls": String(receiver.calls()) } });
  await cleanUp();
}

/** Polls the backlog (runs queued, running or waiting) until `finished` runs are done; returns when, or null. */
function watchBacklog(api: Api) {
  let peak = 0;
  return {
    peak: () => peak,
    async until(finished: number): Promise<number | null> {
      const deadline = performance.now() + DRAIN_LIMIT_MS;
      while (performance.now() < deadline) {
        const m = await metrics(api);
        peak = Math.max(peak, m.backlog);
        if (m.finished >= finished) return performance.now();
        await sleep(POLL_MS);
      }
      return null;
    },
  };
}

interface Api {
  base: string;
  key: string;
  flowId: string;
  hookUrl: string;
}

async function setUp(base: string, receiverUrl: string): Promise<Api> {
  const origin = { origin: base };
  const signUp = await fetch(`${base}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", ...origin },
    body: JSON.stringify({ email: "bench@example.com", password: "correct horse battery", name: "Bench" }),
  });
  if (!signUp.ok) throw new Error(`sign-up: ${signUp.status} ${await signUp.text()}`);
  const cookie = signUp.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const key = (await json(`${base}/api/v1/api-keys`, { method: "POST", headers: { cookie, ...origin }, body: { name: "bench" } })).key as string;
  const call = (p: string, method = "GET", body?: unknown) => json(`${base}${p}`, { method, headers: { authorization: `Bearer ${key}` }, body });
  await call("/api/v1/workspace", "PATCH", { allowedHosts: ["127.0.0.1"] });
  const flow = await call("/api/v1/flows", "POST", { name: "Bench: five steps" });
  const node = (id: string, kind: string, x: number, config: unknown) => ({ id, kind, name: id, config, position: { x, y: 0 } });
  const graph = {
    nodes: [
      node("trigger", "webhook_trigger", 0, {}),
      node("shape", "transform", 200, { mode: "fields", fields: [{ path: "amount", value: "{{ trigger.body.amount }}" }, { path: "email", value: "{{ trigger.body.customer.email }}" }] }),
      node("check", "condition", 400, { combinator: "and", rules: [{ left: "{{ steps.shape.amount }}", operator: "greater_than", right: "100" }] }),
      node("enrich", "transform", 600, { mode: "expression", expression: '{ "cents": steps.shape.amount, "email": steps.shape.email, "tier": steps.shape.amount > 4250 ? "gold" : "silver" }' }),
      node("notify", "http_request", 800, { method: "POST", url: receiverUrl, bodyType: "json", jsonBody: "{{ steps.enrich }}" }),
      node("summary", "transform", 1000, { mode: "fields", fields: [{ path: "status", value: "{{ steps.notify.status }}" }] }),
    ],
    edges: [
      { id: "e1", source: "trigger", sourcePort: "out", target: "shape" },
      { id: "e2", source: "shape", sourcePort: "out", target: "check" },
      { id: "e3", source: "check", sourcePort: "true", target: "enrich" },
      { id: "e4", source: "enrich", sourcePort: "out", target: "notify" },
      { id: "e5", source: "notify", sourcePort: "out", target: "summary" },
    ],
  };
  await call(`/api/v1/flows/${flow.id}`, "PATCH", { graph, revision: flow.draftRevision });
  await call(`/api/v1/flows/${flow.id}/publish`, "POST", {});
  await call(`/api/v1/flows/${flow.id}/activate`, "POST");
  const { endpoints } = await call(`/api/v1/endpoints?flowId=${flow.id}`);
  if (!endpoints?.length) throw new Error("publishing the flow created no webhook endpoint");
  return { base, key, flowId: flow.id as string, hookUrl: endpoints[0].url as string };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads the API's JSON loosely
async function json(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown }): Promise<any> {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${new URL(url).pathname}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

async function metrics(api: Api, retries = 0): Promise<{ backlog: number; finished: number }> {
  try {
    const m = await json(`${api.base}/api/v1/metrics?flowId=${api.flowId}&window=1h`, { headers: { authorization: `Bearer ${api.key}` } });
    return { backlog: m.runs.running, finished: m.runs.total - m.runs.running };
  } catch (error) {
    if (retries <= 0) throw error;
    await sleep(50);
    return metrics(api, retries - 1);
  }
}

/** createdAt → finishedAt of the flow's finished runs created since `since` (the API's run list, all pages). */
async function runDurations(api: Api, since: Date): Promise<number[]> {
  const out: number[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ flowId: api.flowId, from: since.toISOString(), limit: "200", ...(cursor ? { cursor } : {}) });
    const page = await json(`${api.base}/api/v1/runs?${query}`, { headers: { authorization: `Bearer ${api.key}` } });
    for (const run of page.runs as { createdAt: string; finishedAt: string | null }[]) {
      if (run.finishedAt) out.push(Date.parse(run.finishedAt) - Date.parse(run.createdAt));
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function timedPost(url: string, body: string, agent: Agent): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function startReceiver(): Promise<{ server: Server; url: string; calls: () => number }> {
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      calls++;
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/receive`, calls: () => calls };
}

async function startApp(env: Record<string, string>) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Its own process group: SIGTERM reaches the app and its engine worker; the app stops its embedded database.
  // The compiled server as `npm start` runs it; without a build, server.ts through tsx in development mode.
  const entry = production ? [BUILT_SERVER] : ["--import", "tsx", "server.ts"];
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []), ...entry], {
    cwd: REPO,
    detached: true,
    env: { ...process.env, NODE_ENV: production ? "production" : "development", HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: url, SWITCHYARD_ALLOWED_INTERNAL_HOSTS: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const logFile = createWriteStream(path.join(os.tmpdir(), `switchyard-e2e-server-${process.pid}.log`));
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on("data", (c) => {
      log = (log + c).slice(-20_000);
      logFile.write(c);
    });
  }
  const pid = child.pid!;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-pid, "SIGTERM");
    const timer = setTimeout(() => process.kill(-pid, "SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  };
  cleanups.push(stop);
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server.ts exited with ${child.exitCode}:\n${log}`);
    const health = await fetch(`${url}/api/health`).then((r) => r.json()).catch(() => null);
    if (health?.components?.engine?.status === "ok" && /function/.test(health.components.engine.detail ?? "")) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server.ts did not become healthy within 180 s:\n${log}`);
    }
    await sleep(300);
  }
  const tree = () => descendants(pid);
  return {
    pid,
    url,
    stop,
    processes: () => tree().length,
    peakRss: () => tree().reduce((sum, p) => sum + memoryOf(p), 0),
    /** Resident memory now: compare it across --repeat bursts for growth. */
    rss: () => tree().reduce((sum, p) => sum + memoryOf(p, "VmRSS"), 0),
    /**
     * Proportional memory now (PSS: shared pages split among the processes sharing them). RSS summed
     * over PostgreSQL's backends counts its shared buffers once per backend that touched them, so it
     * grows as backends touch more of them; PSS does not.
     */
    pss: () => tree().reduce((sum, p) => sum + pssOf(p), 0),
    /** Resident memory of the Node.js processes alone (server.ts and the engine workers). */
    nodeRss: () => tree().filter(isNode).reduce((sum, p) => sum + memoryOf(p, "VmRSS"), 0),
    /** CPU time (user + system) the app's processes have used so far. */
    cpuMs: () => tree().reduce((sum, p) => sum + cpuMsOf(p), 0),
  };
}

/** `root` and every process below it. */
function descendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]) ?? []));
  return out;
}

function memoryOf(pid: number, field: "VmHWM" | "VmRSS" = "VmHWM"): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function pssOf(pid: number): number {
  try {
    return Number(/Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function isNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "node";
  } catch {
    return false;
  }
}

function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 100 Hz ticks
  } catch {
    return 0;
  }
}

function pct(values: number[], p: number): string {
  if (!values.length) return "-";
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(0);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
