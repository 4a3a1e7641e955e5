// A sleep longer than Node's largest timer (2^31 - 1 ms, 24.8 days; a Delay node allows a year):
// the engine must not set its wake timer to that delay, which Node fires after 1 ms (a wake every
// millisecond while the run sleeps).
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { runsForEvent, startHarness, type Harness } from "./harness";

describeEachDatabase("engine with a sleep longer than a Node timer", (getDb) => {
  let h: Harness;
  const overflows: string[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === "TimeoutOverflowWarning") overflows.push(warning.message);
  };

  beforeAll(async () => {
    process.on("warning", onWarning);
    h = await startHarness({
      db: getDb(),
      appId: "long-waits",
      timeScale: 1,
      functions: (client) => [
        client.createFunction({ id: "sleep-a-month", triggers: [{ event: "long/sleep" }] }, async ({ step }) => {
          await step.sleep("a-month", "30d");
          return "woke";
        }),
      ],
    });
  });
  afterAll(async () => {
    process.off("warning", onWarning);
    await h?.close();
  });

  it("sleeps without overflowing the wake timer", async () => {
    const { ids } = await h.client.send({ name: "long/sleep", data: {} });
    const [runId] = await runsForEvent(getDb(), ids[0]);
    const sleeping = `SELECT 1 FROM "EngineJob" WHERE "runId" = $1 AND "runAt" > now() + interval '29 days'`;
    await until(async () => ((await getDb().query(sleeping, [runId])).length ? true : null), "the sleeping job", 10_000);
    // Node reports the overflow asynchronously; give it the time several 1 ms wake-ups would take.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(overflows).toEqual([]);
  });
});
