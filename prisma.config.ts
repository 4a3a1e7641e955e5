// Prisma CLI configuration. The "js" engine uses Prisma's bundled Wasm schema engine through a
// driver adapter, so `prisma generate` and `prisma migrate diff` never download a native binary.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // `prisma generate` never connects. `prisma migrate diff` does, even between two schema files:
  // `npm run db:diff` starts a throw-away embedded server and passes its URL here. The app applies
  // migrations itself (lib/db/migrate.ts).
  adapter: async () => new PrismaPg({ connectionString: process.env.PRISMA_CLI_DATABASE_URL || "postgres://unused@127.0.0.1:1/unused" }),
});
