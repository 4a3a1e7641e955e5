import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { OWNER_STATE } from "./e2e/helpers";

// Debian's Chromium where it exists (CI and the dev machines cannot download Playwright's own
// browser); elsewhere Playwright's bundled Chromium after `npx playwright install chromium`.
const systemChromium = "/usr/bin/chromium";
const PORT = Number(process.env.E2E_PORT || 3123);
export const BASE_URL = `http://localhost:${PORT}`;
// In the system's temporary directory: when the tests run as root, the embedded PostgreSQL server runs
// as the `postgres` user, which must be able to enter DATA_DIR (a checkout under /root is closed to it).
const DATA_DIR = path.join(os.tmpdir(), `switchyard-e2e-${PORT}`);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    viewport: { width: 1280, height: 800 },
    launchOptions: existsSync(systemChromium)
      ? {
          executablePath: systemChromium,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        }
      : {},
  },
  projects: [
    // foundation.spec.ts signs up the instance's first user (the owner) and tests signing in; the
    // setup project then signs in as the owner once and stores the state every other spec starts with.
    { name: "first-user", testMatch: /foundation\.spec\.ts/, use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } } },
    { name: "setup", testMatch: /auth\.setup\.ts/, dependencies: ["first-user"] },
    {
      name: "chromium",
      testIgnore: /foundation\.spec\.ts|auth\.setup\.ts/,
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, storageState: OWNER_STATE },
    },
  ],
  webServer: {
    // Started exactly the way the README starts the app (npm start), on a fresh data directory.
    command: `rm -rf ${DATA_DIR} && npm start`,
    url: `${BASE_URL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    // SIGTERM, as a process manager stops the app: it stops its embedded PostgreSQL server on the way out.
    // (Playwright's default kill would leave that server running, in its own process group, after the tests.)
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      DATA_DIR,
      PUBLIC_URL: BASE_URL,
      SWITCHYARD_SECRET_KEY: "e2e-only passphrase that is long enough to use",
      // The specs' receivers (CRM, SMTP) listen on loopback; workspaces may allow it only within this bound.
      SWITCHYARD_ALLOWED_INTERNAL_HOSTS: "127.0.0.1",
    },
  },
});
