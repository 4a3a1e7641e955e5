// Whether the build (.next and dist/) matches the sources: a fingerprint of their paths, sizes and
// modification times, written by scripts/build.mjs and checked by scripts/start.mjs.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCES = ["server.ts", "app", "components", "lib", "inngest", "public", "prisma/schema.prisma", "next.config.js", "postcss.config.mjs", "package-lock.json", "tsconfig.json", "scripts/build.mjs"];
const SKIP = new Set(["node_modules", "generated", ".next"]);
const ROOT = path.resolve(import.meta.dirname, "..");
const STAMP_FILE = path.join(ROOT, ".next", "switchyard-build-stamp");
const OUTPUTS = [".next/BUILD_ID", "dist/server.js", "dist/worker-main.js"].map((file) => path.join(ROOT, file));

/** A hash over the build's sources (paths relative to the repository, sizes, modification times). */
export function sourceFingerprint() {
  const hash = createHash("sha256");
  const visit = (p) => {
    const full = path.join(ROOT, p);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      for (const name of readdirSync(full).sort()) if (!SKIP.has(name) && !name.endsWith(".test.ts") && !name.endsWith(".test.tsx")) visit(path.join(p, name));
    } else {
      hash.update(`${p}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  SOURCES.forEach(visit);
  return hash.digest("hex");
}

/** Whether .next and dist/ exist and were built from the sources as they are now. */
export function buildIsCurrent() {
  return OUTPUTS.every((file) => existsSync(file)) && existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, "utf8") === sourceFingerprint();
}

export function writeBuildStamp(fingerprint) {
  writeFileSync(STAMP_FILE, fingerprint);
}
