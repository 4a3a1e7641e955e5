// Decides whether the embedded engine runs, and how the SDK client reaches it. Kept free of
// database imports: inngest/client.ts (bundled by Next.js too) imports it.
import { randomBytes } from "node:crypto";
import { processSingleton, processSlot } from "@/lib/process-singletons";

/** Path prefix of the engine's own HTTP API on the app's origin (event API: `<prefix>/e/<key>`). */
/** Environment variables (process.env or a test's own set). */
type Env = Record<string, string | undefined>;

export const ENGINE_PATH_PREFIX = "/api/engine";

/** The SDK's checkpoint API, which it resolves against the origin root (so the engine owns it too). */
export const CHECKPOINT_PATH_PREFIX = "/v1/checkpoint/";

/** Where the app serves its Inngest functions (server.ts mounts inngest/serve.ts here). */
export const SERVE_PATH = "/api/inngest";

/**
 * False when the SDK's standard variables point at a real Inngest: `INNGEST_DEV` (Dev Server),
 * `INNGEST_BASE_URL` (Dev Server or self-hosted), or `INNGEST_EVENT_KEY` + `INNGEST_SIGNING_KEY` (Cloud).
 */
export function embeddedEngineEnabled(env: Env = process.env): boolean {
  const dev = env.INNGEST_DEV?.trim().toLowerCase();
  if (dev && dev !== "0" && dev !== "false") return false;
  if (env.INNGEST_BASE_URL?.trim()) return false;
  if (env.INNGEST_EVENT_KEY?.trim() && env.INNGEST_SIGNING_KEY?.trim()) return false;
  return true;
}

/** The app's own origin as seen from inside the process (loopback when bound to all interfaces). */
export function localAppOrigin(env: Env = process.env): string {
  const port = Number(env.PORT || 3000);
  const host = (env.HOST || "0.0.0.0").trim();
  const reachable = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

export interface EmbeddedEngineKeys {
  /** The SDK posts events to `<prefix>/e/<eventKey>`; other keys are refused. */
  eventKey: string;
  /** Signs every request the engine makes to the serve endpoint; the SDK verifies it. */
  signingKey: string;
}

// One pair per process, shared by every copy of this module (server.ts and Next's bundles both
// load it), so the client and the engine agree without writing a secret anywhere.
const processKeys = processSlot<EmbeddedEngineKeys>("engineKeys");

export function embeddedEngineKeys(): EmbeddedEngineKeys {
  processKeys.value ??= {
    eventKey: randomBytes(24).toString("hex"),
    signingKey: `signkey-prod-${randomBytes(32).toString("hex")}`,
  };
  return processKeys.value;
}

/** Adopts another process's keys (the engine worker process takes its parent's); call before the SDK client loads. */
export function adoptEngineKeys(keys: EmbeddedEngineKeys): void {
  processKeys.value = { ...keys };
}

/** A request to the engine made inside this process: what the engine reads of it, without building a fetch Request. */
export interface InProcessRequest {
  method: string;
  url: URL;
  authorization: string;
  text(): Promise<string>;
}
type InProcessHandler = (request: InProcessRequest) => Promise<Response | null>;
const inProcessEngines = processSingleton("inProcessEngines", () => new Map<string, InProcessHandler>());

/** Lets `embeddedFetch` hand requests for `origin` to an engine running in this process. */
export function registerInProcessEngine(origin: string, handler: InProcessHandler): () => void {
  inProcessEngines.set(origin, handler);
  return () => {
    if (inProcessEngines.get(origin) === handler) inProcessEngines.delete(origin);
  };
}

/**
 * The SDK client's fetch: a request to an engine running in this process (events, checkpoints) is
 * answered by it directly, without a socket; anything else goes out through the global fetch.
 */
export const embeddedFetch: typeof fetch = async (input, init) => {
  const engines = inProcessEngines;
  const url = engines.size && !(input instanceof Request) ? new URL(input) : null;
  const engine = url && engines.get(url.origin);
  if (engine) {
    // The SDK passes a URL, plain headers and a string body: read them as they are (building a
    // Request for each checkpoint cost more than storing it).
    const response = await engine({
      method: init?.method ?? "GET",
      url: url!,
      authorization: new Headers(init?.headers).get("authorization") ?? "",
      text: async () => (typeof init?.body === "string" ? init.body : init?.body ? await new Response(init.body).text() : ""),
    });
    if (response) return response;
  }
  return fetch(input, init);
};

/** Options for `new Inngest(...)` that point the SDK at the embedded engine of this process. */
export function embeddedClientOptions(env: Env = process.env) {
  const keys = embeddedEngineKeys();
  return {
    fetch: embeddedFetch,
    // Cloud mode: the serve endpoint then demands the engine's signature on every call.
    isDev: false,
    baseUrl: `${localAppOrigin(env)}${ENGINE_PATH_PREFIX}/`,
    eventKey: keys.eventKey,
    signingKey: keys.signingKey,
  };
}
