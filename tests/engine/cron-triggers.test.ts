// Cron triggers on the embedded engine, against Inngest's documented behaviour: a cron function
// runs at each time of its schedule with the `inngest/scheduled.timer` event (data { cron,
// scheduledAt, fireAt }), in UTC unless the expression starts with TZ=<zone>; an invalid cron is
// refused at sync; times that passed while nothing ran are not made up; several engines on one
// database start each time once. Instead of waiting for a real minute, each engine's cron clock
// is set a moment before a chosen time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Inngest } from "inngest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { startHarness, type Harness, type RunRow } from "./harness";

/** A clock that reads `leadMs` before `target` now and runs at real speed. */
function clockJustBefore(target: string, leadMs = 1200): () => number {
  const offset = Date.parse(target) - leadMs - Date.now();
  return () => Date.now() + offset;
}

async function waitForRuns(harness: Harness, functionId: string, count: number, timeoutMs = 10_000): Promise<RunRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await harness.runsOf(functionId);
    if (runs.length >= count && runs.every((run) => run.status !== "running")) return runs;
    if (Date.now() > deadline) throw new Error(`${functionId}: ${runs.length} finished run(s) after ${timeoutMs} ms, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("cron triggers", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("runs a cron function at its time with Inngest's scheduled.timer event, reading TZ= zones and UTC otherwise", async () => {
    const clock = clockJustBefore("2031-03-04T10:00:00Z");
    const seenAt: Record<string, number> = {};
    const harness = await startHarness({
      db,
      appId: "crons",
      cronClock: clock,
      functions: (client: Inngest) => [
        client.createFunction({ id: "every-minute", triggers: [{ cron: "* * * * *" }] }, async ({ event, step }) => {
          // Inngest's cron event carries scheduledAt and fireAt too; the SDK's type names only cron.
          const { scheduledAt } = event.data as { scheduledAt: string };
          await step.run("note", () => void (seenAt[scheduledAt] = clock()));
          return event;
        }),
        // 15:30 in Kolkata (UTC+5:30) is 10:00 UTC.
        client.createFunction({ id: "kolkata-afternoon", triggers: [{ cron: "TZ=Asia/Kolkata 30 15 * * *" }] }, async ({ event }) => event.data),
        client.createFunction({ id: "utc-afternoon", triggers: [{ cron: "30 15 * * *" }] }, async ({ event }) => event.data),
      ],
    });
    try {
      const [minute] = await waitForRuns(harness, "crons-every-minute", 1);
      expect(minute.status).toBe("completed");
      expect(minute.output).toMatchObject({
        name: "inngest/scheduled.timer",
        id: "2031-03-04T10:00:00Z",
        data: { cron: "* * * * *", scheduledAt: "2031-03-04T10:00:00Z", fireAt: "2031-03-04T10:00:00Z" },
        ts: Date.parse("2031-03-04T10:00:00Z"),
      });
      // Not early: the function ran once the clock had reached the time.
      expect(seenAt["2031-03-04T10:00:00Z"]).toBeGreaterThanOrEqual(Date.parse("2031-03-04T10:00:00Z"));

      const [kolkata] = await waitForRuns(harness, "crons-kolkata-afternoon", 1);
      expect(kolkata.output).toEqual({ cron: "TZ=Asia/Kolkata 30 15 * * *", scheduledAt: "2031-03-04T10:00:00Z", fireAt: "2031-03-04T10:00:00Z" });
      expect(await harness.runsOf("crons-utc-afternoon")).toEqual([]);
      expect(await harness.runsOf("crons-every-minute")).toHaveLength(1);
    } finally {
      await harness.close();
    }
  });

  it("refuses an invalid cron at sync, naming the function, the expression and the reason", async () => {
    const bad = (cron: string) =>
      startHarness({ db, appId: "crons", functions: (client) => [client.createFunction({ id: "bad-cron", triggers: [{ cron }] }, async () => "never")] });
    await expect(bad("61 * * * *")).rejects.toThrow(/function "crons-bad-cron": "61 \* \* \* \*" isn't a valid cron schedule: minute value 61 is out of range \(0-59\)/);
    await expect(bad("0 9 * *")).rejects.toThrow(/"0 9 \* \*" isn't a valid cron schedule: expected 5 fields .*found 4/);
    await expect(bad("TZ=Mars/Olympus 0 9 * * *")).rejects.toThrow(/unknown time zone "Mars\/Olympus"/);
    await expect(bad("@daily")).rejects.toThrow(/descriptors such as @daily are not accepted/);
  });

  it("does not make up times that passed while no engine ran", async () => {
    const functions = (client: Inngest) => [client.createFunction({ id: "ticker", triggers: [{ cron: "* * * * *" }] }, async ({ event }) => (event.data as { scheduledAt: string }).scheduledAt)];
    const before = await startHarness({ db, appId: "downtime", cronClock: clockJustBefore("2031-05-01T08:00:00Z"), functions });
    await waitForRuns(before, "downtime-ticker", 1);
    await before.close();
    // Five minutes later (08:01 … 08:04 passed with no engine): the next engine starts at 08:05.
    const after = await startHarness({ db, appId: "downtime", cronClock: clockJustBefore("2031-05-01T08:05:00Z"), functions });
    try {
      const runs = await waitForRuns(after, "downtime-ticker", 2);
      await sleep(500);
      expect((await after.runsOf("downtime-ticker")).map((run) => run.output)).toEqual(["2031-05-01T08:00:00Z", "2031-05-01T08:05:00Z"]);
      expect(runs).toHaveLength(2);
    } finally {
      await after.close();
    }
  });

  it("starts each time once when several engines share the database", async () => {
    const clock = clockJustBefore("2031-06-01T12:00:00Z");
    const ranOn: string[] = [];
    const engines: Harness[] = [];
    try {
      for (const name of ["a", "b", "c"]) {
        engines.push(
          await startHarness({
            db,
            appId: "shared-cron",
            cronClock: clock,
            functions: (client) => [
              client.createFunction({ id: "noon", triggers: [{ cron: "0 12 * * *" }] }, async ({ event, step }) => {
                await step.run("record", () => void ranOn.push(name));
                return (event.data as { scheduledAt: string }).scheduledAt;
              }),
            ],
          }),
        );
      }
      await waitForRuns(engines[0], "shared-cron-noon", 1);
      await sleep(1500); // every engine's timer has come and gone
      const runs = await engines[0].runsOf("shared-cron-noon");
      expect(runs.map((run) => run.output)).toEqual(["2031-06-01T12:00:00Z"]);
      expect(ranOn).toHaveLength(1);
    } finally {
      for (const engine of engines) await engine.close();
    }
  });
});
