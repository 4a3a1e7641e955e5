// The engine forgets what it no longer needs: day-old finished runs with their steps, day-old
// events no running run started from, expired dedupe entries and idempotency keys.
import { expect, it } from "vitest";
import { sqlTime } from "@/inngest/local/engine-context";
import { createEngineId } from "@/lib/db/ids";
import { deleteExpiredEngineState } from "@/inngest/local/retention";
import { describeEachDatabase } from "../helpers/databases";

const HOUR = 3_600_000;

describeEachDatabase("engine retention", (getDb) => {
  it("deletes day-old finished runs, their steps and their events, and keeps everything still in use", async () => {
    const db = getDb();
    const now = Date.now();
    const event = async (at: number) => {
      const id = createEngineId(at);
      await db.query(`INSERT INTO "EngineEvent" (id, name, data, ts) VALUES ($1, 'app/run.requested', '{}', $2)`, [id, at]);
      return id;
    };
    const run = async (at: number, status: string, endedAt: number | null, eventId: string) => {
      const id = createEngineId(at);
      await db.query(
        `INSERT INTO "EngineRun" (id, "functionId", "eventId", event, status, "endedAt") VALUES ($1, 'fn', $2, '{}', $3, $4::timestamp)`,
        [id, eventId, status, endedAt === null ? null : sqlTime(endedAt)],
      );
      await db.query(`INSERT INTO "EngineStep" ("runId", "stepId", seq) VALUES ($1, 'a', 0), ($1, 'b', 1)`, [id]);
      return id;
    };
    const oldEvent = await event(now - 25 * HOUR);
    const oldEventOfRunningRun = await event(now - 26 * HOUR);
    const oldEventOfEndedRun = await event(now - 27 * HOUR);
    const recentEvent = await event(now - HOUR);
    const oldFinished = await run(now - 25 * HOUR, "completed", now - 25 * HOUR + 1000, oldEvent);
    const oldCancelled = await run(now - 26 * HOUR, "cancelled", now - 25 * HOUR, oldEventOfEndedRun);
    const oldRunning = await run(now - 26 * HOUR, "running", null, oldEventOfRunningRun);
    const oldButJustEnded = await run(now - 25 * HOUR, "failed", now - HOUR, recentEvent);
    const recentFinished = await run(now - HOUR, "completed", now - HOUR + 1000, recentEvent);
    await db.query(`INSERT INTO "EngineEventDedupe" ("eventId", "expiresAt") VALUES ('expired', $1::timestamp), ('fresh', $2::timestamp)`, [
      sqlTime(now - 1000),
      sqlTime(now + HOUR),
    ]);
    await db.query(`INSERT INTO "EngineIdempotencyKey" (key, "runId", "expiresAt") VALUES ('expired', 'r1', $1::timestamp), ('fresh', 'r2', $2::timestamp)`, [
      sqlTime(now - 1000),
      sqlTime(now + HOUR),
    ]);

    // Batches of one: the loops must go on until nothing old is left.
    expect(await deleteExpiredEngineState(db, now, 1)).toEqual({ runs: 2, events: 2 });

    const ids = async (sql: string) => (await db.query<{ id: string }>(sql)).map((r) => r.id).sort();
    expect(await ids(`SELECT id FROM "EngineRun"`)).toEqual([oldRunning, oldButJustEnded, recentFinished].sort());
    expect(await ids(`SELECT DISTINCT "runId" AS id FROM "EngineStep"`)).toEqual([oldRunning, oldButJustEnded, recentFinished].sort());
    expect(await ids(`SELECT id FROM "EngineEvent"`)).toEqual([oldEventOfRunningRun, recentEvent].sort());
    expect(await ids(`SELECT "eventId" AS id FROM "EngineEventDedupe"`)).toEqual(["fresh"]);
    expect(await ids(`SELECT key AS id FROM "EngineIdempotencyKey"`)).toEqual(["fresh"]);
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "EngineStep" WHERE "runId" = ANY($1)`, [[oldFinished, oldCancelled]]);
    expect(n).toBe(0);
  });
});
