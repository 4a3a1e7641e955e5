// npm start – builds the app when the sources changed since the last build (scripts/build.mjs),
// then runs the compiled server in production mode. Keeps the quick start to one command on a fresh clone.
import { spawn, spawnSync } from "node:child_process";
import { buildIsCurrent } from "./build-stamp.mjs";

if (!buildIsCurrent()) {
  console.log("[start] building the app (first start or sources changed) …");
  const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, ["dist/server.js"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
