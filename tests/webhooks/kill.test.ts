// Kill test: SIGKILL the webhook server under load, restart it on the same data, and check that
// every request that got a 2xx has exactly one delivery and one run (nothing lost, nothing doubled).
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { makeDataDir, openEmbeddedDataDir } from "../helpers/embedded-data-dir";
import { until } from "../helpers/until";
import { createFixture, type Fixture } from "./hook-fixtures";
import { serverTsServesHooks, startServerProcess, type RunningServer } from "./support/processes";

const SECRET_KEY = "b".repeat(64);
const SIGNING_SECRET = "kill-test-secret";
// The production server when it serves webhooks and is built; otherwise the same handler in a bare process.
const SCRIPT = serverTsServesHooks() ? "server.ts" : "tests/webhooks/support/serve-hooks.ts";

interface Acked {
  deliveryId: string;
  runId: string;
}

/** Posts signed unique webhooks from `workers` loops until stopped; collects the 2xx answers. */
function loadGenerator(url: string, token: string, workers: number) {
  const acked: Acked[] = [];
  let stopped = false;
  let sent = 0;
  const loops = Array.from({ length: workers }, async (_, w) => {
    while (!stopped) {
      const body = JSON.stringify({ worker: w, n: sent++, at: Date.now() });
      try {
        const res = await fetch(`${url}/api/hooks/${token}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-signature": `sha256=${createHmac("sha256", SIGNING_SECRET).update(body).digest("hex")}` },
          body,
        });
        const json = (await res.json()) as Partial<Acked>;
        if (res.status >= 200 && res.status < 300) acked.push({ deliveryId: json.deliveryId!, runId: json.runId! });
      } catch {
        // The server died mid-request: no 2xx, so no promise was made.
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  });
  return {
    acked,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}


describe.each(["embedded", "postgres"] as const)(`kill test (${SCRIPT}) [%s]`, (kind) => {
  it("keeps exactly one delivery and one run for every acknowledged request across a SIGKILL", { timeout: 300_000 }, async () => {
    process.env.SWITCHYARD_SECRET_KEY = SECRET_KEY;
    const dataDir = await makeDataDir("switchyard-kill-");
    let pg: TestDatabase | undefined;
    let embedded: { close(): Promise<void> } | undefined;
    let env: Record<string, string>;
    let reopen: () => Promise<Database>;
    let fixture: Fixture;
    try {
      if (kind === "embedded") {
        // Seeded through the same embedded server the app then starts on its own (DATABASE_URL unset).
        const seed = await openEmbeddedDataDir(dataDir);
        fixture = await createFixture(seed.db, "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: SIGNING_SECRET });
        await seed.close();
        env = { DATA_DIR: dataDir, DATABASE_URL: "", SWITCHYARD_SECRET_KEY: SECRET_KEY };
        reopen = async () => {
          const reopened = await openEmbeddedDataDir(dataDir);
          embedded = reopened;
          return reopened.db;
        };
      } else {
        pg = await createTestDatabase();
        fixture = await createFixture(pg, "webhook_trigger", { authScheme: "hmac", authConfig: { prefix: "sha256=" }, secret: SIGNING_SECRET });
        env = { DATA_DIR: dataDir, DATABASE_URL: (pg.config as { url: string }).url, SWITCHYARD_SECRET_KEY: SECRET_KEY };
        reopen = async () => pg!;
      }

      let server: RunningServer = await startServerProcess(SCRIPT, env);
      const load = loadGenerator(server.url, fixture.token, 24);
      await until(() => load.acked.length >= 300, "300 acknowledged webhooks", 60_000);
      await server.kill("SIGKILL");
      await load.stop();

      // Restart on the same data: it must come up and keep accepting.
      server = await startServerProcess(SCRIPT, env);
      const after = loadGenerator(server.url, fixture.token, 4);
      await until(() => after.acked.length >= 20, "webhooks after the restart", 60_000);
      await after.stop();
      await server.kill("SIGTERM");
      // A clean stop takes the embedded server with it (PostgreSQL removes postmaster.pid when it shuts down).
      if (kind === "embedded") expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);

      const db = await reopen();
      const acked = [...load.acked, ...after.acked];
      const ids = acked.map((a) => a.deliveryId);
      expect(new Set(ids).size).toBe(acked.length);
      const deliveries = await db.query<{ id: string; verdict: string }>(`SELECT id, verdict::text FROM "WebhookDelivery" WHERE id = ANY($1)`, [ids]);
      const runs = await db.query<{ id: string; deliveryId: string }>(`SELECT id, "deliveryId" FROM "Run" WHERE "deliveryId" = ANY($1)`, [ids]);
      const outbox = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxEvent" WHERE "eventId" = ANY($1)`, [ids]);
      expect(deliveries).toHaveLength(acked.length);
      expect(deliveries.every((d) => d.verdict === "accepted")).toBe(true);
      expect(runs).toHaveLength(acked.length);
      const runOf = new Map(runs.map((r) => [r.deliveryId, r.id]));
      expect(acked.filter((a) => runOf.get(a.deliveryId) !== a.runId)).toEqual([]);
      expect(outbox[0].n).toBe(acked.length);
      // Requests that died with the process may or may not be stored, but never without their run.
      const orphans = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "WebhookDelivery" d LEFT JOIN "Run" r ON r."deliveryId" = d.id WHERE d."endpointId" = $1 AND d.verdict = 'accepted' AND r.id IS NULL`,
        [fixture.endpointId],
      );
      expect(orphans[0].n).toBe(0);
    } finally {
      await embedded?.close();
      await pg?.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
