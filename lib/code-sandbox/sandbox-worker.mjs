// Entry of a code sandbox worker thread (sandbox-pool.ts starts it). Plain JavaScript, so the
// thread starts the same under tsx, vitest and plain node; it lets tsx load the TypeScript part.
import { register } from "tsx/esm/api";

register();
await import("./sandbox-worker-main.ts");
