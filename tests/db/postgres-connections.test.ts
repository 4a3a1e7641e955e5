// How the app opens PostgreSQL connections: the ingest insert parsed and planned once per
// connection, not once per batch (re-planning it doubled PostgreSQL's CPU per small batch); the
// connections named; session settings from PGOPTIONS (how the engine worker turns off synchronous commit).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { IngestWriter } from "@/lib/webhooks/ingress/ingest-writer";
import { createRowId } from "@/lib/db/ids";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { createFixture, type Fixture } from "../webhooks/hook-fixtures";

describe("PostgreSQL connections", () => {
  let pg: TestDatabase;
  let oneConnection: Database;
  let fixture: Fixture;
  beforeAll(async () => {
    pg = await createTestDatabase();
    fixture = await createFixture(pg);
    // One connection, so the statements below and the check run in the same session.
    oneConnection = await openDatabase({ kind: "postgres", url: (pg.config as { url: string }).url, poolSize: 1 });
  });
  afterAll(async () => {
    await oneConnection?.close();
    await pg?.destroy();
  });

  it("keeps the ingest insert prepared and reuses its generic plan", async () => {
    const writer = new IngestWriter(oneConnection);
    for (let i = 0; i < 8; i++) {
      const id = createRowId();
      const body = Buffer.from(JSON.stringify({ i }));
      const outcome = await writer.accept(
        {
          id, workspaceId: fixture.workspaceId, endpointId: fixture.endpointId, receivedAt: new Date(), method: "POST", query: null,
          headers: { "content-type": "application/json" }, rawBody: body, contentType: "application/json", sizeBytes: body.length,
          sourceIp: "127.0.0.1", verdict: "accepted", responseStatus: 202, reason: null, dedupeKey: `evt_${i}`,
        },
        { id: createRowId(), flowId: fixture.flowId, flowVersionId: fixture.versionId, triggerPayload: { body: { i } } },
      );
      expect(outcome.kind).toBe("accepted");
    }
    const statements = await oneConnection.query<{ name: string; generic_plans: number; custom_plans: number }>(
      `SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements ORDER BY name`,
    );
    expect(statements.map((s) => s.name)).toEqual(["ingest_find_originals", "ingest_insert_batch"]);
    // PostgreSQL plans a prepared statement's first five executions for their parameters, then
    // switches to one generic plan when it costs no more: eight batches, one parse, 3 generic plans.
    const insert = statements.find((s) => s.name === "ingest_insert_batch")!;
    expect(insert.custom_plans + insert.generic_plans).toBe(8);
    expect(insert.generic_plans).toBeGreaterThan(0);
    const [{ n }] = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Run" WHERE "flowId" = $1`, [fixture.flowId]);
    expect(n).toBe(8);
  });

  it("names its connections so pg_stat_activity tells them apart", async () => {
    const [{ name }] = await oneConnection.query<{ name: string }>(`SELECT current_setting('application_name') AS name`);
    expect(name).toBe("switchyard");
  });

  it("applies the session settings in PGOPTIONS", async () => {
    const before = process.env.PGOPTIONS;
    process.env.PGOPTIONS = "-c synchronous_commit=off";
    const db = await openDatabase({ kind: "postgres", url: (pg.config as { url: string }).url, poolSize: 1 });
    try {
      const [plain] = await db.query<{ synchronous_commit: string }>(`SHOW synchronous_commit`);
      const [viaPrisma] = await db.prisma.$queryRawUnsafe<{ synchronous_commit: string }[]>(`SHOW synchronous_commit`);
      expect([plain.synchronous_commit, viaPrisma.synchronous_commit]).toEqual(["off", "off"]);
    } finally {
      if (before === undefined) delete process.env.PGOPTIONS;
      else process.env.PGOPTIONS = before;
      await db.close();
    }
  });
});
