// Moving an earlier version's PGlite data directory into PostgreSQL: every row arrives (binary
// bodies, arrays, JSON and identity columns included), the old directory is not changed, and the
// app refuses to start empty beside data that was never imported.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPglite, pgliteMigrationTarget } from "@/lib/db/embedded/import-pglite";
import { refuseUnimportedPglite } from "@/lib/db/embedded/pglite-leftover";
import { applyMigrations } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";

const BODY = Buffer.from([0, 1, 2, 250, 255, 10, 13]);

/** A PGlite data directory as an earlier version left it: migrated and holding a little of everything. */
async function makePgliteDir(dir: string) {
  const pglite = new PGlite(dir);
  await applyMigrations(pgliteMigrationTarget(pglite));
  await pglite.exec(`
    INSERT INTO "User" (id, name, email) VALUES ('u1', 'Ada', 'ada@example.com');
    INSERT INTO "Workspace" (id, name, slug, "allowedHosts") VALUES ('w1', 'Shop', 'shop', ARRAY['10.0.0.5', 'intranet.local']);
    INSERT INTO "Membership" (id, "workspaceId", "userId", role) VALUES ('m1', 'w1', 'u1', 'owner');
    INSERT INTO "Flow" (id, "workspaceId", name, "draftGraph", "updatedAt") VALUES ('f1', 'w1', 'Orders', '{"nodes":[{"id":"n1"}],"edges":[]}', now());
    INSERT INTO "Endpoint" (id, "workspaceId", "flowId", "nodeId", token, "updatedAt") VALUES ('e1', 'w1', 'f1', 'n1', 'tok_1', now());
    INSERT INTO "EngineJob" (id, "runId", kind, "stepId", payload) VALUES (41, 'r1', 'step', 'step', '{"a":[1,2]}'), (42, 'r2', 'step', 'step', NULL);
  `);
  await pglite.query(
    `INSERT INTO "WebhookDelivery" (id, "workspaceId", "endpointId", method, headers, "rawBody", verdict, "responseStatus", "receivedAt")
     VALUES ('d1', 'w1', 'e1', 'POST', '{"content-type":"application/octet-stream"}', $1, 'accepted', 202, '2026-11-01 10:00:00.123')`,
    [BODY],
  );
  await pglite.close();
}

/** Names, sizes and contents of every file below `dir`. */
function fingerprint(dir: string): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    for (const name of readdirSync(p).sort()) {
      const file = path.join(p, name);
      if (statSync(file).isDirectory()) visit(file);
      else hash.update(`${file}\0`).update(readFileSync(file));
    }
  };
  visit(dir);
  return hash.digest("hex");
}

describe("npm run db:import-pglite", () => {
  let dataDir: string;
  let target: TestDatabase;
  const previousDataDir = process.env.DATA_DIR;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "switchyard-import-"));
    process.env.DATA_DIR = dataDir;
    await makePgliteDir(path.join(dataDir, "pglite"));
    target = await createTestDatabase();
  }, 240_000); // PGlite (WebAssembly) applying every migration takes a while on a busy machine
  afterAll(async () => {
    process.env.DATA_DIR = previousDataDir;
    await target?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses to start an empty database beside PGlite data that was not imported, naming both ways out", async () => {
    await expect(refuseUnimportedPglite(target)).rejects.toThrow(/npm run db:import-pglite[\s\S]*move .*pglite out of DATA_DIR/);
  });

  it("copies every row into PostgreSQL and leaves the PGlite directory as it was", { timeout: 240_000 }, async () => {
    const before = fingerprint(path.join(dataDir, "pglite"));
    const summary = await importPglite(path.join(dataDir, "pglite"), target);
    expect(fingerprint(path.join(dataDir, "pglite"))).toBe(before);
    expect(summary.rows).toBe(8);

    const [delivery] = await target.query<{ rawBody: Buffer; receivedAt: Date; headers: unknown }>(
      `SELECT "rawBody", "receivedAt", headers FROM "WebhookDelivery" WHERE id = 'd1'`,
    );
    expect(Buffer.compare(delivery.rawBody, BODY)).toBe(0);
    expect(delivery.headers).toEqual({ "content-type": "application/octet-stream" });
    const [workspace] = await target.query<{ allowedHosts: string[] }>(`SELECT "allowedHosts" FROM "Workspace" WHERE id = 'w1'`);
    expect(workspace.allowedHosts).toEqual(["10.0.0.5", "intranet.local"]);
    const flow = await target.prisma.flow.findUniqueOrThrow({ where: { id: "f1" } });
    expect(flow.draftGraph).toEqual({ nodes: [{ id: "n1" }], edges: [] });
    const jobs = await target.query<{ id: string; payload: unknown }>(`SELECT id::text, payload FROM "EngineJob" ORDER BY id`);
    expect(jobs).toEqual([
      { id: "41", payload: { a: [1, 2] } },
      { id: "42", payload: null },
    ]);
    // A new job continues after the imported ids instead of colliding with them.
    const [next] = await target.query<{ id: string }>(`INSERT INTO "EngineJob" ("runId", kind, "stepId") VALUES ('r3', 'step', 'step') RETURNING id::text`);
    expect(Number(next.id)).toBeGreaterThan(42);
  });

  it("refuses to import into a database that already has accounts, changing nothing", async () => {
    await expect(importPglite(path.join(dataDir, "pglite"), target)).rejects.toThrow(/already holds accounts/);
    expect(await target.prisma.user.count()).toBe(1);
  });
});
