// Run execution inside the calling process: the embedded engine (unless INNGEST_* variables point
// at a real Inngest server), the SDK serve handler, and the outbox relay. The engine worker process
// (worker-main.ts) uses it; server.ts too with SWITCHYARD_ENGINE_PROCESS=inline or a real Inngest server.
import { inngest } from "@/inngest/client";
import { SERVE_PATH, embeddedEngineEnabled, startEmbeddedEngine } from "@/inngest/local";
import { createServeHandlers } from "@/inngest/serve";
import type { Database } from "@/lib/db";
import { startOutboxRelay, type OutboxRelay } from "@/lib/outbox/relay";
import { onSchedulesChanged } from "@/lib/schedules/schedules-changed";
import type { RunHost } from "./host-options";

export async function startRunsInProcess(options: { db: Database; appUrl: string; publicUrl?: string; yieldWhile: () => boolean }): Promise<RunHost> {
  const { db, appUrl, yieldWhile } = options;
  const serveHandlers = createServeHandlers(db);
  // The engine calls the serve handler in this process directly (no HTTP); the SDK's events and checkpoints reach it the same way.
  const engine = embeddedEngineEnabled() ? await startEmbeddedEngine({ db, appUrl, yieldWhile, serveInProcess: serveHandlers.fetch }) : null;
  let relay: OutboxRelay | null = null;

  // A flow's schedule appeared, changed or went: the engine reads the function list again; a real
  // Inngest server is asked to sync the app at its public URL (the SDK registers on a plain PUT).
  async function resync() {
    if (engine) return engine.resync();
    const url = new URL(SERVE_PATH, options.publicUrl ?? appUrl);
    const response = await fetch(url, { method: "PUT" });
    if (!response.ok) throw new Error(`PUT ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  }
  const stopListening = onSchedulesChanged(() => {
    resync().catch((error: Error) => console.error(`[engine] could not sync the app's functions after a schedule change: ${error.message}`));
  });

  return {
    ready: engine?.ready ?? Promise.resolve(),

    async handleRequest(req, res) {
      if (engine && (await engine.handleRequest(req, res))) return true; // /api/engine/*, /v1/checkpoint/*
      const url = req.url ?? "/";
      if (url !== SERVE_PATH && !url.startsWith(`${SERVE_PATH}?`)) return false;
      await serveHandlers.node(req, res);
      return true;
    },

    listening() {
      // Hands stored run requests (written in the same transaction as each accepted delivery) to the engine.
      relay ??= startOutboxRelay({
        db,
        yieldWhile,
        send: (events) => inngest.send(events.map((e) => ({ id: e.id, name: e.name, data: e.data as Record<string, unknown> }))),
      });
    },

    async health() {
      if (!engine) return { status: "disabled", detail: "using the Inngest server configured by INNGEST_* variables" };
      const status = engine.status();
      if (status.syncError) return { status: "down", detail: status.syncError };
      return { status: "ok", detail: status.synced ? `embedded; ${status.functions.length} function(s)` : "embedded; syncing functions" };
    },

    resync,

    async stop() {
      stopListening();
      await relay?.stop().catch(() => {});
      await engine?.stop().catch(() => {});
    },
  };
}
