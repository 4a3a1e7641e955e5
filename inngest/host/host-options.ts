// What a run host is and how it is configured (SWITCHYARD_ENGINE_PROCESS, SWITCHYARD_ENGINE_WORKERS),
// apart from run-host.ts so that the two hosts it chooses between can use them without importing it.
import type { IncomingMessage, ServerResponse } from "node:http";
import os from "node:os";
import type { Database } from "@/lib/db";
import type { ComponentHealth } from "@/lib/health/check-health";

export interface RunHost {
  /** Resolves once the engine has synced the app's functions; rejects when it cannot run them. */
  readonly ready: Promise<void>;
  /** Serves the engine's API and the SDK serve handler when they live in this process; false otherwise. */
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Called once the app's HTTP server listens (the relay's first sends then reach a live engine). */
  listening(): void;
  health(): Promise<ComponentHealth>;
  /** Syncs the app's functions with the engine (or Inngest) again: scheduled flows changed. */
  resync(): Promise<void>;
  stop(): Promise<void>;
}

export type EngineProcessMode = "worker" | "inline";

/** SWITCHYARD_ENGINE_PROCESS: `worker` (default) or `inline`. Throws a start-up error for other values. */
export function engineProcessMode(env: Record<string, string | undefined> = process.env): EngineProcessMode {
  const raw = env.SWITCHYARD_ENGINE_PROCESS?.trim().toLowerCase() || "worker";
  if (raw !== "worker" && raw !== "inline") {
    throw new Error(`SWITCHYARD_ENGINE_PROCESS must be "worker" or "inline" (got "${env.SWITCHYARD_ENGINE_PROCESS}")`);
  }
  return raw;
}

/**
 * SWITCHYARD_ENGINE_WORKERS: how many worker processes execute runs (default: one per CPU core
 * beyond the first, which the app process and the database need; at least 1, at most 4). Each is
 * one Node thread; they share the work through the database (measured: docs/PERFORMANCE.md).
 */
export function engineWorkerCount(env: Record<string, string | undefined> = process.env): number {
  const raw = env.SWITCHYARD_ENGINE_WORKERS?.trim();
  if (!raw) return Math.min(4, Math.max(1, os.availableParallelism() - 1));
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 16) {
    throw new Error(`SWITCHYARD_ENGINE_WORKERS must be a whole number from 1 to 16 (got "${env.SWITCHYARD_ENGINE_WORKERS}")`);
  }
  return count;
}

export interface RunHostOptions {
  db: Database;
  /** The app's own origin as reachable from this process (the in-process engine calls its serve handler there). */
  appUrl: string;
  /** Webhook and approval links are built from it; the worker process gets it explicitly. */
  publicUrl: string;
  /** True while webhooks are being acknowledged: run execution in this process (inline mode) then holds back; the worker process runs at a lower CPU priority instead. */
  yieldWhile: () => boolean;
}
