import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx", "lib/**/*.test.ts", "inngest/**/*.test.ts", "components/**/*.test.ts"],
    environment: "node",
    // A fixed key so tests never write one into DATA_DIR; the app generates one when unset. Tests'
    // receivers listen on loopback, which workspaces may only allow within the operator's bound.
    env: { SWITCHYARD_SECRET_KEY: "0".repeat(64), PUBLIC_URL: "http://localhost:3000", DATA_DIR: ".data/test", SWITCHYARD_ALLOWED_INTERNAL_HOSTS: "127.0.0.0/8,::1,localhost" },
    // One embedded PostgreSQL server for the run; each file creates its own databases on it. Two workers suit two cores.
    globalSetup: ["tests/global-setup.ts"],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
