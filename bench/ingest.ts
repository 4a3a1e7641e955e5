// npm run bench:ingest [-- --db=embedded|postgres|both --duration=10 --connections=50 --servers=server,ingest-only,handler,bare --drain=120 --rate-embedded=2000 --rate-postgres=2000]
//
// Signed JSON webhooks (HMAC-SHA256, 68-byte body) from autocannon against the production server
// (server.ts, the process `npm start` runs), on the embedded default (the app starts its own
// PostgreSQL server in DATA_DIR) and on a PostgreSQL server given by DATABASE_URL (TEST_DATABASE_URL,
// or one the bench starts). Prints accepted/s, p50/p99 latency, non-2xx, peak memory, and checks
// that the stored deliveries equal the 2xx count.
// autocannon keeps 50 requests in flight, so it measures the most the server accepts, and its
// latency there is queueing (50 in flight / accepted per second). Then a paced run sends the
// target rate (2,000/s) on schedule and prints the latency a
// sender sees at that rate; with the engine on, the first run's runs are still queued meanwhile.
// With the engine running, it also waits for every accepted webhook's run to finish and prints
// how long after the burst that took (the engine yields to webhooks during a burst).
// Then the same for a bare node:http server doing the same verification and insert (one
// transaction per request, no framework, no batching), so the ratio shows our overhead.
// During the paced run a probe times fdatasync on the data directory's disk (bench/disk-probe.ts).
// BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" passes node flags to the server processes.
// Prints numbers; never fails on timing.
import { createHmac, timingSafeEqual } from "node:crypto";
import { rm } from "node:fs/promises";
import { Agent, createServer, request } from "node:http";
import os from "node:os";
import autocannon from "autocannon";
import { engineProcessMode } from "@/inngest/host/host-options";
import { createApiKey } from "@/lib/auth/api-keys";
import { getDatabase } from "@/lib/db";
import type { Database } from "@/lib/db/client";
import { createRowId } from "@/lib/db/ids";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/databases";
import { makeDataDir, openEmbeddedDataDir } from "@/tests/helpers/embedded-data-dir";
import { createFixture, type Fixture } from "@/tests/webhooks/hook-fixtures";
import { BUILT_SERVER, productionBuildExists, startServerProcess } from "@/tests/webhooks/support/processes";
import { startDiskProbe, type DiskProbeResult } from "./disk-probe";

const SECRET_KEY = "c".repeat(64);
const SIGNING_SECRET = "bench-signing-secret";
const BODY = JSON.stringify({ id: "evt_0001", type: "order.paid", amount: 4200, currency: "EUR" }); 
const SIGNATURE = `sha256=${createHmac("sha256", SIGNING_SECRET).update(BODY).digest("hex")}`;

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
// --drain=120: how long to wait for the runs of the accepted webhooks after a run with the engine on.
const drainLimitSeconds = Number(args.get("drain") ?? 120);
// The target: accepted webhooks per second on each database (--rate-embedded=, --rate-postgres=; 0 skips the paced run).
const TARGET_RATE = { embedded: 2000, postgres: 2000 };
type Kind = keyof typeof TARGET_RATE;
const PACED_SOCKETS = 64;

if (process.env.BENCH_BARE) await serveBare();
else await main();

async function main() {
  const kinds: Kind[] = (args.get("db") ?? "both") === "both" ? ["embedded", "postgres"] : [args.get("db") as Kind];
  const duration = Number(args.get("duration") ?? 10);
  const connections = Number(args.get("connections") ?? 50);
  const script = productionBuildExists() ? BUILT_SERVER : "tests/webhooks/support/serve-hooks.ts";
  if (script !== BUILT_SERVER) console.log("server.ts is not built (run `npm run build` or `npm start` once): measuring our handler in a bare node:http process instead\n");
  console.log(`ingest benchmark: ${connections} connections, ~${duration} s per run (after 5,000 warm-up requests), ${Buffer.byteLength(BODY)}-byte signed JSON`);
  console.log(`machine: ${os.cpus().length} cores, Node ${process.version}; load generator on the same cores\n`);
  const rows: string[][] = [];
  for (const kind of kinds) {
    // --servers=server,ingest-only,handler,bare picks the targets: server.ts as `npm start` runs it
    // (the embedded engine executes every accepted run in the same process), server.ts with the
    // engine switched off (ingest only), our handler alone in a bare node:http process, the bare baseline.
    const wanted = (args.get("servers") ?? "server,ingest-only,bare").split(",");
    const targets = wanted.map((w) =>
      w === "server" ? script : w === "ingest-only" ? `${script}#no-engine` : w === "handler" ? "tests/webhooks/support/serve-hooks.ts" : "bare",
    );
    for (const target of targets) {
      const result = await runOne(kind, target, duration, connections);
      rows.push([
        kind,
        target === "bare"
          ? "bare node:http"
          : target === BUILT_SERVER
            ? `server.ts (production, engine running the runs${engineProcessMode() === "worker" ? " in its worker process" : ""})`
            : target === `${BUILT_SERVER}#no-engine`
              ? "server.ts, engine off (ingest only)"
              : "our handler in bare node:http",
        result.acceptedPerSec.toFixed(0),
        `${result.p50} ms`,
        `${result.p99} ms`,
        String(result.non2xx),
        result.paced ? `${result.paced.rate}/s: p50 ${result.paced.p50} ms, p99 ${result.paced.p99} ms, max ${result.paced.max} ms (generator: ${(100 * result.paced.generatorCpu).toFixed(0)}% of a core, sent late p99 ${result.paced.sendLagP99} ms)` : "-",
        result.paced ? `p50 ${result.paced.disk.p50} ms, p99 ${result.paced.disk.p99} ms, max ${result.paced.disk.max} ms, ${result.paced.disk.stalls} over 50 ms` : "-",
        `${(result.peakRss / 1024 / 1024).toFixed(0)} MB`,
        `${(result.peakPss / 1024 / 1024).toFixed(0)} MB`,
        result.stored === result.ok2xx ? `${result.stored} = ${result.ok2xx} ✓` : `${result.stored} ≠ ${result.ok2xx} ✗`,
      ]);
    }
  }
  const header = ["database", "server", "accepted/s", "p50", "p99", "non-2xx", "paced at the target rate", "disk fdatasync while paced", "peak RSS app+worker", "peak PSS all processes", "stored = 2xx"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    "A 2xx waits for its commit, and a commit for the WAL's fdatasync: a sync stall on the disk delays every webhook acknowledged meanwhile. Peak RSS: the app's and its engine worker's VmHWM added up. Peak PSS: the largest sum of proportional set sizes over the app, its worker and (embedded) its PostgreSQL server and backends, sampled every 0.5 s.",
  );
  for (const kind of kinds) {
    const ours = rows.find((r) => r[0] === kind && r[1] !== "bare node:http" && !r[1].includes("engine running"));
    const bare = rows.find((r) => r[0] === kind && r[1] === "bare node:http");
    if (ours && bare) console.log(`${kind}: accepted/s ${ours[1]} / bare = ${(Number(ours[2]) / Number(bare[2])).toFixed(2)}`);
  }
  process.exit(0);
}

interface RunResult {
  acceptedPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  paced: (PacedResult & { disk: DiskProbeResult }) | null;
  ok2xx: number;
  stored: number;
  peakRss: number;
  peakPss: number;
}

async function runOne(kind: Kind, target: string, duration: number, connections: number): Promise<RunResult> {
  process.env.SWITCHYARD_SECRET_KEY = SECRET_KEY;
  const dataDir = await makeDataDir("switchyard-bench-");
  let pg: TestDatabase | undefined;
  let embedded: Awaited<ReturnType<typeof openEmbeddedDataDir>> | undefined;
  let apiKey = "";
  try {
    let fixture: Fixture;
    let env: Record<string, string>;
    let reopen: () => Promise<Database>;
    const endpointSettings = { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: SIGNING_SECRET };
    if (kind === "embedded") {
      const seed = await openEmbeddedDataDir(dataDir);
      fixture = await createFixture(seed.db, "webhook_trigger", endpointSettings);
      apiKey = await createBenchApiKey(seed.db, fixture.workspaceId);
      await seed.close();
      env = { DATA_DIR: dataDir, DATABASE_URL: "" };
      reopen = async () => (embedded = await openEmbeddedDataDir(dataDir)).db;
    } else {
      pg = await createTestDatabase();
      fixture = await createFixture(pg, "webhook_trigger", endpointSettings);
      apiKey = await createBenchApiKey(pg, fixture.workspaceId);
      env = { DATA_DIR: dataDir, DATABASE_URL: (pg.config as { url: string }).url };
      reopen = async () => pg!;
    }
    env = {
      ...env,
      SWITCHYARD_SECRET_KEY: SECRET_KEY,
      BENCH_TOKEN: fixture.token,
      BENCH_WORKSPACE_ID: fixture.workspaceId,
      BENCH_ENDPOINT_ID: fixture.endpointId,
      BENCH_FLOW_ID: fixture.flowId,
      BENCH_VERSION_ID: fixture.versionId,
    };
    const [scriptPath, variant] = target.split("#");
    // INNGEST_BASE_URL pointing at a closed port turns the embedded engine off; the relay's sends then fail and back off.
    const engineOff: Record<string, string> = variant === "no-engine" ? { INNGEST_BASE_URL: "http://127.0.0.1:9" } : {};
    const server =
      target === "bare" ? await startServerProcess("bench/ingest.ts", { ...env, BENCH_BARE: "1" }) : await startServerProcess(scriptPath, { ...env, ...engineOff });
    const url = `${server.url}/api/hooks/${fixture.token}`;
    const options = { url, method: "POST" as const, connections, headers: { "content-type": "application/json", "x-signature": SIGNATURE }, body: BODY };
    // Fixed request counts (not durations) so every response is counted: a duration-bound run
    // stops with requests in flight that the server stored but autocannon never read.
    const { result: warm } = await timedRun({ ...options, amount: 2000 });
    const { result: calibration, seconds } = await timedRun({ ...options, amount: 3000 }); // warmed-up rate, to size the measured run
    const rate = calibration["2xx"] / seconds;
    const { result, seconds: elapsedSeconds } = await timedRun({ ...options, amount: Math.max(1000, Math.round(rate * duration)) });
    // The target's own question: at the target rate, how long does a sender wait? Open-loop pacing,
    // latency counted from each request's scheduled send time (no coordinated omission).
    const pacedRate = Number(args.get(`rate-${kind}`) ?? TARGET_RATE[kind]);
    // Meanwhile a probe times fdatasync on the disk of the data directory (on this machine also PostgreSQL's).
    const disk = pacedRate > 0 && target !== "bare" ? startDiskProbe(dataDir) : null;
    const paced = disk ? { ...(await pacedRun(url, options.headers, pacedRate, duration)), disk: await disk.stop() } : null;
    const ok2xx = warm["2xx"] + calibration["2xx"] + result["2xx"] + (paced?.ok2xx ?? 0);
    // With the engine running, the runs of the accepted webhooks finish after the burst: how long that takes.
    const drain = scriptPath === BUILT_SERVER && variant === undefined ? await waitForRuns(server.url, apiKey, ok2xx) : null;
    const peakRss = server.peakRss();
    const peakPss = server.peakTreePss();
    await server.kill("SIGTERM");
    if (server.child.exitCode !== 0 && server.child.signalCode === null) console.warn(server.output());

    const db = await reopen();
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE "endpointId" = $1 AND verdict = 'accepted'`, [fixture.endpointId]);
    process.stdout.write(`  ${kind} ${target}: ${result["2xx"]} accepted in ${elapsedSeconds.toFixed(2)} s, errors ${result.errors}, timeouts ${result.timeouts}\n`);
    if (drain) {
      process.stdout.write(
        drain.finished >= ok2xx
          ? `  ${kind} ${target}: all ${ok2xx} runs finished ${drain.seconds.toFixed(1)} s after the last response (${drain.failed} failed)\n`
          : `  ${kind} ${target}: ${drain.finished} of ${ok2xx} runs finished ${drain.seconds.toFixed(1)} s after the last response (stopped waiting; --drain=<s> waits longer)\n`,
      );
    }
    return {
      acceptedPerSec: result["2xx"] / elapsedSeconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx + (paced?.non2xx ?? 0),
      paced,
      ok2xx,
      stored: n,
      peakRss,
      peakPss,
    };
  } finally {
    await embedded?.close();
    await pg?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** An owner and an API key in the bench workspace, to read its run metrics through /api/v1. */
async function createBenchApiKey(db: Database, workspaceId: string): Promise<string> {
  const userId = createRowId();
  await db.prisma.user.create({ data: { id: userId, name: "Bench", email: `bench-${userId}@example.com` } });
  await db.prisma.membership.create({ data: { id: createRowId(), workspaceId, userId, role: "owner" } });
  return (await createApiKey(db.prisma, { workspaceId, userId, name: "bench" })).key;
}

/** Polls the run metrics until `expected` runs finished (or the drain limit passed). */
async function waitForRuns(origin: string, apiKey: string, expected: number) {
  const started = performance.now();
  for (;;) {
    const response = await fetch(`${origin}/api/v1/metrics?window=1h`, { headers: { authorization: `Bearer ${apiKey}` } });
    const { runs } = (await response.json()) as { runs: { succeeded: number; failed: number } };
    const finished = runs.succeeded + runs.failed;
    const seconds = (performance.now() - started) / 1000;
    if (finished >= expected || seconds > drainLimitSeconds) return { finished, failed: runs.failed, seconds };
    // Each poll aggregates every run of the hour: often enough to time the drain, rarely enough not to slow it.
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

interface PacedResult {
  rate: number;
  p50: number;
  p99: number;
  max: number;
  sendLagP99: number;
  generatorCpu: number;
  ok2xx: number;
  non2xx: number;
}

/**
 * Open-loop load: `rate` signed posts per second for `seconds`, sent on schedule whether or not
 * earlier ones were answered (as independent senders do), over keep-alive connections. Latency runs
 * from the scheduled send time, so a stall counts against every request it delayed. autocannon
 * cannot pace evenly (its rate limit sends each second's quota in one burst), hence node:http.
 */
async function pacedRun(url: string, headers: Record<string, string>, rate: number, seconds: number): Promise<PacedResult> {
  // Connections are opened before the clock starts (a burst of new connections would measure the
  // kernel's SYN retries, not the server); more requests than sockets queue in the agent, counted.
  const agent = new Agent({ keepAlive: true, maxSockets: PACED_SOCKETS });
  const post = (onDone: (status: number) => void) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(BODY)) } }, (res) => {
      res.resume();
      res.on("end", () => onDone(res.statusCode ?? 0));
    });
    req.on("error", () => onDone(0));
    req.end(BODY);
  };
  let ok2xx = 0;
  let non2xx = 0;
  const count = (status: number) => (status >= 200 && status < 300 ? ok2xx++ : non2xx++);
  await Promise.all(Array.from({ length: PACED_SOCKETS }, () => new Promise<void>((resolve) => post((status) => (count(status), resolve())))));

  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const sendLags: number[] = []; // how late the generator itself sent: its own stalls count as latency too
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await new Promise<void>((resolve) => {
    let sent = 0;
    let answered = 0;
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      for (; sent < due; sent++) {
        const scheduledAt = started + (sent * 1000) / rate;
        sendLags.push(performance.now() - scheduledAt);
        post((status) => {
          latencies.push(performance.now() - scheduledAt);
          count(status);
          if (++answered === total) resolve();
        });
      }
      if (sent === total) clearInterval(tick);
    }, 1);
  });
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  const generatorCpu = (cpu.user + cpu.system) / 1000 / (performance.now() - started);
  const quantile = (values: number[], q: number) => Math.round(values.sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]);
  return {
    rate,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: quantile(latencies, 1),
    sendLagP99: quantile(sendLags, 0.99),
    generatorCpu,
    ok2xx,
    non2xx,
  };
}

/**
 * One autocannon run, timed from its start to its last response: with `amount`, autocannon itself
 * finishes on its next one-second tick and reports whole seconds.
 */
function timedRun(options: autocannon.Options): Promise<{ result: autocannon.Result; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let last = started;
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, seconds: (last - started) / 1000 })));
    instance.on("response", () => (last = performance.now()));
  });
}

/** The bare baseline: node:http, the same HMAC check and JSON.parse, one transaction of the same three inserts per request. */
async function serveBare() {
  const db = await getDatabase();
  const env = process.env;
  const token = env.BENCH_TOKEN!;
  const expected = (body: Buffer) => Buffer.from(`sha256=${createHmac("sha256", SIGNING_SECRET).update(body).digest("hex")}`);
  const server = createServer((req, res) => {
    if (req.url !== `/api/hooks/${token}`) {
      req.resume();
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks);
      const given = Buffer.from(String(req.headers["x-signature"] ?? ""));
      const want = expected(raw);
      if (given.length !== want.length || !timingSafeEqual(given, want)) return void res.writeHead(401).end();
      let body: unknown;
      try {
        body = JSON.parse(raw.toString());
      } catch {
        return void res.writeHead(400).end();
      }
      const deliveryId = createRowId();
      const runId = createRowId();
      const now = new Date().toISOString();
      try {
        await db.execScriptInTransaction("SET LOCAL statement_timeout = '30s'", async (q) => {
          await q(
            `INSERT INTO "WebhookDelivery" (id, "workspaceId", "endpointId", "receivedAt", method, headers, "rawBody", "contentType", "sizeBytes", verdict, "responseStatus")
             VALUES ($1, $2, $3, ($4::timestamptz AT TIME ZONE 'UTC'), 'POST', $5::jsonb, $6::bytea, $7, $8, 'accepted', 202)`,
            [deliveryId, env.BENCH_WORKSPACE_ID, env.BENCH_ENDPOINT_ID, now, JSON.stringify(req.headers), raw, req.headers["content-type"] ?? null, raw.length],
          );
          await q(
            `INSERT INTO "Run" (id, "workspaceId", "flowId", "flowVersionId", "deliveryId", status, "triggerPayload") VALUES ($1, $2, $3, $4, $5, 'queued', $6::jsonb)`,
            [runId, env.BENCH_WORKSPACE_ID, env.BENCH_FLOW_ID, env.BENCH_VERSION_ID, deliveryId, JSON.stringify({ body, headers: req.headers, method: "POST", receivedAt: now })],
          );
          await q(`INSERT INTO "OutboxEvent" (id, "eventName", "eventId", data) VALUES ($1, 'switchyard/run.requested', $2, $3::jsonb)`, [
            `ob_${deliveryId}`,
            deliveryId,
            JSON.stringify({ runId, deliveryId }),
          ]);
        });
      } catch {
        return void res.writeHead(503).end();
      }
      const answer = JSON.stringify({ deliveryId, runId });
      res.writeHead(202, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) }).end(answer);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(env.PORT), "127.0.0.1");
  process.on("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    void db.close().finally(() => process.exit(0));
  });
}
