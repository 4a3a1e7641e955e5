// Run execution in a child process: the parent's side. The child (worker-main.ts)
// runs the engine, the SDK serve handler and the outbox relay on its own connections and at a
// lower CPU priority, so the kernel, not our event loop, keeps webhook acknowledgements first.
// The worker does not also hold back while webhooks arrive (options.yieldWhile is for the inline
// mode): the kernel already gives it only the CPU this process leaves (docs/PERFORMANCE.md).
import { fork, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { embeddedEngineKeys } from "@/inngest/local";
import { secretBox } from "@/lib/crypto/secret-box";
import type { ComponentHealth } from "@/lib/health/check-health";
import { registerOutboxKick } from "@/lib/outbox/kick";
import { onSchedulesChanged } from "@/lib/schedules/schedules-changed";
import { engineWorkerCount, type RunHost, type RunHostOptions } from "./host-options";

/** Messages from the parent. */
export type ToWorker =
  | { type: "init"; keys: { eventKey: string; signingKey: string } }
  | { type: "kick" }
  | { type: "resync" }
  | { type: "health"; id: number }
  | { type: "stop" };

/** Messages from the worker. */
export type FromWorker =
  | { type: "ready" }
  | { type: "syncFailed"; message: string }
  | { type: "health"; id: number; health: ComponentHealth };

// Built (npm run build), this module is part of dist/server.js and the worker is dist/worker-main.js
// beside it; from source (npm run dev, tests), it is worker-main.ts run through tsx.
const COMPILED = import.meta.filename.endsWith(".js");
const ENTRY = path.join(import.meta.dirname, COMPILED ? "worker-main.js" : "worker-main.ts");
// Nice 10: when both want a core, the kernel gives this process (webhooks, pages) about nine times the worker's share.
const WORKER_NICENESS = 10;
const RESTART_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];

export async function startRunsInWorkerProcess(options: RunHostOptions, count = engineWorkerCount()): Promise<RunHost> {
  const { url: databaseUrl, poolSize } = options.db.config;
  // The worker reads the same DATA_DIR/secret.key; make sure it exists before two processes could create it.
  secretBox();
  let stopping = false;
  let resolveReady!: () => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((resolveReady = resolve), (rejectReady = reject)));
  ready.catch(() => {}); // server.ts reports it
  let nextHealthId = 0;
  const healthWaiters = new Map<number, (health: ComponentHealth) => void>();

  // Several workers share the database like several app instances do (leases, per-key limits,
  // SKIP LOCKED claims): one Node thread runs ~80 five-step runs/s here; more use spare cores.
  const slots = Array.from({ length: count }, () => ({ child: null as ChildProcess | null, restarts: 0 }));
  const send = (child: ChildProcess | null, message: ToWorker) => {
    if (child?.connected) child.send(message, () => {}); // a worker that just died is restarted; nothing to report
  };

  function spawnWorker(slot: (typeof slots)[number]) {
    const startedAt = Date.now();
    const worker = fork(ENTRY, [], {
      // Inherit the parent's node flags (e.g. --cpu-prof from the bench); from source, with tsx as the parent runs.
      execArgv: COMPILED || process.execArgv.some((arg) => arg.includes("tsx")) ? process.execArgv : ["--import", "tsx", ...process.execArgv],
      // The same database as this process (not whatever the environment says), and the same public origin.
      env: {
        ...process.env,
        PUBLIC_URL: options.publicUrl,
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: String(poolSize),
        PGAPPNAME: "switchyard-engine",
        // The worker's commits do not wait for their WAL to reach the disk, so they do not queue in front
        // of the webhook inserts' WAL syncs; nothing acknowledged is committed only here, and a crash
        // just runs the worker's last steps again (why this is safe, measured: docs/PERFORMANCE.md).
        PGOPTIONS: [process.env.PGOPTIONS, "-c synchronous_commit=off"].filter(Boolean).join(" "),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    slot.child = worker;
    try {
      os.setPriority(worker.pid!, WORKER_NICENESS);
    } catch (error) {
      console.error(`[engine] cannot lower the worker process's CPU priority: ${(error as Error).message}`);
    }
    worker.send({ type: "init", keys: embeddedEngineKeys() } satisfies ToWorker);
    worker.on("message", (message: FromWorker) => {
      if (message.type === "ready") resolveReady();
      else if (message.type === "syncFailed") rejectReady(new Error(message.message));
      else if (message.type === "health") healthWaiters.get(message.id)?.(message.health);
    });
    worker.on("exit", (code, signal) => {
      if (slot.child === worker) slot.child = null;
      if (stopping) return;
      if (Date.now() - startedAt > 60_000) slot.restarts = 0;
      const delay = RESTART_DELAYS_MS[Math.min(slot.restarts++, RESTART_DELAYS_MS.length - 1)];
      console.error(`[engine] worker process exited (${signal ?? `code ${code}`}); starting a new one in ${delay / 1000} s`);
      setTimeout(() => stopping || spawnWorker(slot), delay).unref();
    });
  }
  for (const slot of slots) spawnWorker(slot);

  // New outbox rows wake the workers' relays at once (a lone webhook's run starts without waiting),
  // then at most once per 5 ms however many batches commit: kicks during those 5 ms become one.
  let kickedAt = -Infinity;
  let kickPending = false;
  const kick = () => {
    kickedAt = performance.now();
    for (const slot of slots) send(slot.child, { type: "kick" });
  };
  const unregisterKick = registerOutboxKick(() => {
    if (kickPending) return;
    const wait = kickedAt + 5 - performance.now();
    if (wait <= 0) return kick();
    kickPending = true;
    setTimeout(() => {
      kickPending = false;
      kick();
    }, wait).unref();
  });

  // Publishing or pausing a scheduled flow happens here; each worker's engine syncs the functions again.
  const resync = async () => {
    for (const slot of slots) send(slot.child, { type: "resync" });
  };
  const stopListening = onSchedulesChanged(() => void resync());

  async function workerHealth(worker: ChildProcess | null): Promise<ComponentHealth> {
    if (!worker?.connected) return { status: "down", detail: "the engine worker process is not running (restarting)" };
    const id = nextHealthId++;
    const health = await new Promise<ComponentHealth | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 2000);
      healthWaiters.set(id, (h) => (clearTimeout(timer), resolve(h)));
      send(worker, { type: "health", id });
    }).finally(() => healthWaiters.delete(id));
    if (!health) return { status: "down", detail: "the engine worker process does not answer" };
    return { ...health, detail: `${health.detail}; worker process ${worker.pid}` };
  }

  return {
    ready,
    // The workers serve the engine's API and the serve handler on loopback ports of their own.
    handleRequest: async () => false,
    listening() {},

    async health() {
      const all = await Promise.all(slots.map((slot) => workerHealth(slot.child)));
      // Runs go on while one worker is up: the others' leases pass to it. Down only when none is.
      const up = all.filter((health) => health.status !== "down");
      if (count === 1 || up.length === 0) return all[0];
      const detail = `${up.length} of ${count} worker processes up: ${all.map((health) => health.detail).join(" | ")}`;
      return { ...up[0], detail };
    },

    resync,

    async stop() {
      stopping = true;
      unregisterKick();
      stopListening();
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.child;
          if (!worker) return;
          // The worker finishes its calls in flight (up to 10 s), like the in-process engine on shutdown.
          const exited = new Promise<void>((resolve) => (worker.exitCode !== null || worker.signalCode !== null ? resolve() : worker.once("exit", () => resolve())));
          send(worker, { type: "stop" });
          const killTimer = setTimeout(() => worker.kill("SIGKILL"), 14_000);
          await exited;
          clearTimeout(killTimer);
        }),
      );
    },
  };
}
