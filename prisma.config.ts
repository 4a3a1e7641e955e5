// Prisma CLI configuration. The "js" engine uses Prisma's bundled Wasm schema engine through a
// driver adapter, so `prisma generate` and `prisma migrate diff` never download a native binary.
import { PGlite } from "@electric-sql/pglite";
import type { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // An in-memory database: the CLI only diffs schemas here; the app applies migrations itself.
  // (Cast: pglite-prisma-adapter 0.6 is typed against an older @prisma/driver-adapter-utils.)
  adapter: async () => new PrismaPGlite(new PGlite()) as unknown as PrismaPg,
});
