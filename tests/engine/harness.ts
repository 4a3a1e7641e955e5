// An app in miniature for engine tests and the benchmark: a real HTTP server on loopback that
// routes /api/engine/* to the embedded engine and /api/inngest to the real SDK serve handler,
// with an Inngest client pointed at that engine. Wired exactly as server.ts wires the app.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { Inngest, type InngestFunction } from "inngest";
import { serve as serveFetch } from "inngest/edge";
import { serve } from "inngest/node";
import type { Database } from "@/lib/db/client";
import { until } from "../helpers/until";
import { ENGINE_PATH_PREFIX, SERVE_PATH, embeddedFetch, startEmbeddedEngine, type EmbeddedEngine } from "@/inngest/local";

export interface Harness {
  client: Inngest;
  engine: EmbeddedEngine;
  origin: string;
  /** The event key and signing key shared by the client and the engine. */
  keys: { eventKey: string; signingKey: string };
  /** HTTP requests the loopback server received, as "METHOD path". */
  requests: string[];
  /** Resolves when the run ends; returns its row. */
  waitForRun(runId: string, timeoutMs?: number): Promise<RunRow>;
  /** Run rows of a function, oldest first. */
  runsOf(functionId: string): Promise<RunRow[]>;
  close(): Promise<void>;
}

export interface RunRow {
  id: string;
  functionId: string;
  status: string;
  output: unknown;
  error: { name?: string; message?: string } | null;
  event: { id: string; name: string; data: Record<string, unknown> };
}

export async function startHarness(options: {
  db: Database;
  appId?: string;
  functions: (client: Inngest) => InngestFunction.Any[];
  timeScale?: number;
  maxConcurrency?: number;
  pollIntervalMs?: number;
  yieldWhile?: () => boolean;
  busyConcurrency?: number;
  busyIntervalMs?: number;
  quiet?: boolean;
  /** The engine calls the serve handler and the client reaches the engine without HTTP, as in inngest/host/in-process.ts. */
  inProcess?: boolean;
  /** The clock cron triggers read (tests move it close to a cron time instead of waiting for one). */
  cronClock?: () => number;
}): Promise<Harness> {
  let route: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${(req.url ?? "").split("?")[0]}`);
    route(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = { eventKey: randomBytes(16).toString("hex"), signingKey: `signkey-test-${randomBytes(32).toString("hex")}` };
  const client = new Inngest({
    id: options.appId ?? "conformance",
    isDev: false,
    baseUrl: `${origin}${ENGINE_PATH_PREFIX}/`,
    eventKey: keys.eventKey,
    signingKey: keys.signingKey,
    logger: options.quiet === false ? console : silentLogger,
    ...(options.inProcess ? { fetch: embeddedFetch } : {}),
  });
  const functions = options.functions(client);
  const serveHandler = serve({ client, functions });
  const engine = await startEmbeddedEngine({
    db: options.db,
    appUrl: origin,
    eventKey: keys.eventKey,
    signingKey: keys.signingKey,
    timeScale: options.timeScale ?? 0.001,
    maxConcurrency: options.maxConcurrency,
    pollIntervalMs: options.pollIntervalMs ?? 200,
    cronClock: options.cronClock,
    yieldWhile: options.yieldWhile,
    busyConcurrency: options.busyConcurrency,
    busyIntervalMs: options.busyIntervalMs,
    serveInProcess: options.inProcess ? serveFetch({ client, functions }) : undefined,
    log: options.quiet === false ? undefined : () => {},
  });
  route = (req, res) => {
    void (async () => {
      if (await engine.handleRequest(req, res)) return;
      if ((req.url ?? "").split("?")[0] === SERVE_PATH) return serveHandler(req, res);
      res.writeHead(404).end();
    })();
  };
  try {
    await engine.ready;
  } catch (error) {
    await engine.stop(0);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }

  const runsOf = async (functionId: string) =>
    options.db.query<RunRow>(
      `SELECT id, "functionId", status, output, error, event FROM "EngineRun" WHERE "functionId" = $1 ORDER BY "createdAt", id`,
      [functionId],
    );

  return {
    client,
    engine,
    origin,
    keys,
    requests,
    runsOf,
    waitForRun(runId, timeoutMs = 20_000) {
      return until(
        async () => {
          const [row] = await options.db.query<RunRow>(`SELECT id, "functionId", status, output, error, event FROM "EngineRun" WHERE id = $1`, [runId]);
          return row && row.status !== "running" ? row : null;
        },
        `run ${runId} to finish`,
        timeoutMs,
      );
    },
    async close() {
      await engine.stop(2000);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs started by the event with engine id `eventId`, waiting until they exist. */
export async function runsForEvent(db: Database, eventId: string, expected = 1, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await db.query<{ id: string }>(`SELECT id FROM "EngineRun" WHERE "eventId" = $1 ORDER BY id`, [eventId]);
    if (rows.length >= expected || Date.now() > deadline) return rows.map((r) => r.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const silentLogger = { info() {}, warn() {}, error() {}, debug() {} };
