// npm run build – the Next.js app (.next) and the process entries compiled to JavaScript (dist/):
// server.ts and the engine worker, so production runs no TypeScript compiler. Our own modules are
// bundled (the `@/` alias resolves through tsconfig.json); npm packages stay imports from node_modules.
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { sourceFingerprint, writeBuildStamp } from "./build-stamp.mjs";

// Taken before building: a source edited during the build makes the next `npm start` build again.
const fingerprint = sourceFingerprint();

const next = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, NODE_ENV: "production" } });
if (next.status !== 0) process.exit(next.status ?? 1);

await build({
  // The code sandbox's worker thread too (lib/code-sandbox/sandbox-pool.ts looks for it beside the server).
  entryPoints: { server: "server.ts", "worker-main": "inngest/host/worker-main.ts", "code-sandbox-worker": "lib/code-sandbox/sandbox-worker-main.ts" },
  outdir: "dist",
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20.19",
  // Not minified, and names kept: stack traces in the log stay readable without source maps.
  keepNames: true,
  logLevel: "warning",
});
console.log("[build] server.ts, the engine worker and the code sandbox worker compiled to dist/");

writeBuildStamp(fingerprint);
