// Server-only: a few worker threads that run user code in QuickJS, one request each at a time,
// so code never blocks the thread that serves webhooks and runs flows. The host's timer is the
// cap that always holds: a worker that overruns its deadline by HARD_STOP_GRACE_MS is ended
// (Worker.terminate stops WebAssembly mid-instruction) and replaced on the next request.
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { CodeError, CodeResult, SyntaxCheck } from "./code-result";
import type { CodeRequest } from "./execute-in-quickjs";
import { HARD_STOP_GRACE_MS, WORKER_STACK_MB } from "./limits";
import { fromWorkerSchema, type ToWorker } from "./worker-messages";

const WORKER_ENTRY = workerEntry();
/** Compile-only checks get this long, start-up of a fresh thread included. */
const CHECK_TIMEOUT_MS = 10_000;
/** A fresh thread loads tsx and compiles QuickJS's WebAssembly before its first request. */
const STARTUP_TIMEOUT_MS = 15_000;

type Job =
  | { type: "run"; request: CodeRequest; resolve: (result: CodeResult) => void }
  | { type: "check"; source: string; names: string[]; resolve: (result: SyntaxCheck) => void };

interface Slot {
  worker: Worker;
  ready: boolean;
  job: { id: number; job: Job; started: number; timer: NodeJS.Timeout } | null;
}

export class SandboxPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private onReady: (() => void)[] = [];

  constructor(private readonly size: number) {}

  run(request: CodeRequest): Promise<CodeResult> {
    return new Promise((resolve) => this.enqueue({ type: "run", request, resolve }));
  }

  checkSyntax(source: string, names: string[]): Promise<SyntaxCheck> {
    return new Promise((resolve) => this.enqueue({ type: "check", source, names, resolve }));
  }

  /** Starts every thread and resolves once all of them answer (a warm pool: no cold start for the next request). */
  async warm(): Promise<void> {
    while (!this.closed && (this.slots.length < this.size || this.slots.some((slot) => !slot.ready))) {
      while (this.slots.length < this.size) this.spawn();
      await new Promise<void>((resolve) => {
        this.onReady.push(resolve);
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) settle(job, { kind: "crash", message: "The code sandbox is shutting down" }, 0);
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    this.slots = [];
  }

  private enqueue(job: Job) {
    if (this.closed) return settle(job, { kind: "crash", message: "The code sandbox is shutting down" }, 0);
    this.queue.push(job);
    this.dispatch();
  }

  private dispatch() {
    // All threads start with the first request and are replaced as soon as one ends, so a thread
    // that is ended for overrunning does not make the next request wait for a cold start.
    // (Not after a thread failed to start with nothing waiting: that would retry in a loop.)
    const wanted = this.queue.length > 0 || this.slots.some((slot) => slot.ready);
    while (wanted && !this.closed && this.slots.length < this.size) this.spawn();
    while (this.queue.length > 0) {
      const free = this.slots.find((slot) => slot.ready && !slot.job);
      if (!free) return;
      this.start(free, this.queue.shift()!);
    }
  }

  private spawn() {
    const worker = new Worker(WORKER_ENTRY, { resourceLimits: { stackSizeMb: WORKER_STACK_MB } });
    const slot: Slot = { worker, ready: false, job: null };
    this.slots.push(slot);
    const startup = setTimeout(() => this.fail(slot, { kind: "crash", message: "The code sandbox did not start in time" }), STARTUP_TIMEOUT_MS);
    worker.on("message", (raw: unknown) => {
      const message = fromWorkerSchema.parse(raw);
      if (message.type === "ready") {
        clearTimeout(startup);
        slot.ready = true;
        worker.unref();
        for (const resolve of this.onReady.splice(0)) resolve();
        this.dispatch();
        return;
      }
      const current = slot.job;
      if (!current || current.id !== message.id) return;
      clearTimeout(current.timer);
      slot.job = null;
      worker.unref();
      if (current.job.type === "run" && message.type === "run") current.job.resolve(message.result);
      if (current.job.type === "check" && message.type === "check") current.job.resolve(message.result);
      // A retiring thread exits on its own: take it out before the next request could be handed to it.
      if (message.retiring) this.fail(slot, { kind: "crash", message: "The code sandbox stopped unexpectedly" });
      else this.dispatch();
    });
    worker.on("error", (error) => {
      clearTimeout(startup);
      this.fail(slot, { kind: "crash", message: `The code sandbox stopped: ${error.message}` });
    });
    worker.on("exit", () => {
      clearTimeout(startup);
      this.fail(slot, { kind: "crash", message: "The code sandbox stopped unexpectedly" });
    });
  }

  private start(slot: Slot, job: Job) {
    const id = this.nextId++;
    const limitMs = job.type === "run" ? job.request.limits.timeoutMs + HARD_STOP_GRACE_MS : CHECK_TIMEOUT_MS;
    const timer = setTimeout(() => {
      this.fail(slot, { kind: "timeout", message: "The code ran past its time limit and was stopped" });
    }, limitMs);
    slot.job = { id, job, started: performance.now(), timer };
    slot.worker.ref();
    const message: ToWorker = job.type === "run" ? { id, type: "run", request: job.request } : { id, type: "check", source: job.source, names: job.names };
    slot.worker.postMessage(message);
  }

  /** Ends a thread that overran, crashed or exited: its job (if any) fails with `error`; later jobs go to a fresh thread. */
  private fail(slot: Slot, error: CodeError) {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    const current = slot.job;
    slot.job = null;
    if (current) {
      clearTimeout(current.timer);
      settle(current.job, error, performance.now() - current.started);
    }
    void slot.worker.terminate();
    // A thread that could not start fails the waiting jobs too, instead of respawning in a loop.
    if (!slot.ready) {
      for (const job of this.queue.splice(0)) settle(job, error, 0);
      for (const resolve of this.onReady.splice(0)) resolve();
    }
    this.dispatch();
  }
}

/**
 * The thread's entry file: compiled beside the compiled server (npm run build puts both in dist/),
 * or the TypeScript one through its JavaScript bootstrap beside this module (tsx, vitest). Inside
 * Next.js's bundle (a publish check from a route) this module lives in .next/: then from the app's
 * root, compiled in production.
 */
function workerEntry(): string {
  const here = typeof import.meta.dirname === "string" ? import.meta.dirname : null;
  const root = process.cwd();
  const candidates = [
    ...(here ? [path.join(here, "code-sandbox-worker.js"), path.join(here, "sandbox-worker.mjs")] : []),
    ...(process.env.NODE_ENV === "production" ? [path.join(root, "dist/code-sandbox-worker.js")] : []),
    path.join(root, "lib/code-sandbox/sandbox-worker.mjs"),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[candidates.length - 1];
}

function settle(job: Job, error: CodeError, durationMs: number) {
  if (job.type === "run") job.resolve({ ok: false, error, logs: [], durationMs });
  else job.resolve({ ok: false, error });
}
