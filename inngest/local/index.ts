// The embedded Inngest-compatible engine (used when no Inngest server is configured).
export { embeddedEngineEnabled, embeddedClientOptions, embeddedEngineKeys, embeddedFetch, localAppOrigin, ENGINE_PATH_PREFIX, CHECKPOINT_PATH_PREFIX, SERVE_PATH } from "./embedded-config";
export { EmbeddedEngine, startEmbeddedEngine, type EmbeddedEngineOptions, type EngineStatus } from "./engine";
export type { IncomingEvent } from "./engine-context";
