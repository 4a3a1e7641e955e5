// While the app has more urgent work (webhooks being acknowledged), the engine runs at most
// busyConcurrency calls, starts them at least busyIntervalMs apart, and catches up as soon as the
// urgent work ends.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { runsForEvent, startHarness, type Harness } from "./harness";

describeEachDatabase("engine yielding to urgent work", (getDb) => {
  let h: Harness;
  let busy = true;
  let active = 0;
  let maxActive = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    h = await startHarness({
      db: getDb(),
      appId: "yielding",
      yieldWhile: () => busy,
      busyConcurrency: 1,
      functions: (client) => [
        client.createFunction({ id: "slow", triggers: [{ event: "yield/go" }] }, async ({ step }) =>
          step.run("work", async () => {
            active++;
            maxActive = Math.max(maxActive, active);
            await released;
            active--;
            return "done";
          }),
        ),
      ],
    });
  });
  afterAll(async () => {
    release();
    await h?.close();
  });

  it("runs one call at a time while busy, then the rest at once, and completes every run", async () => {
    const { ids } = await h.client.send(Array.from({ length: 4 }, (_, i) => ({ name: "yield/go", data: { i } })));
    await until(() => active === 1, "the first call", 10_000, 10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(maxActive).toBe(1);
    expect(h.engine.status().activeCalls).toBe(1);

    busy = false;
    // The other three start while the first is still held: the engine did not wait for a free slot.
    await until(() => active === 4, "the other calls", 10_000, 10);
    release();
    const runIds = (await Promise.all(ids.map((id) => runsForEvent(getDb(), id)))).flat();
    const runs = await Promise.all(runIds.map((id) => h.waitForRun(id)));
    expect(runs.map((run) => [run.status, run.output])).toEqual(Array.from({ length: 4 }, () => ["completed", "done"]));
  });
});

describeEachDatabase("engine pacing its calls while yielding", (getDb) => {
  let h: Harness;
  const startedAt: number[] = [];

  beforeAll(async () => {
    h = await startHarness({
      db: getDb(),
      appId: "pacing",
      yieldWhile: () => true,
      busyConcurrency: 8,
      busyIntervalMs: 200,
      functions: (client) => [
        client.createFunction({ id: "quick", triggers: [{ event: "pace/go" }] }, async ({ step }) =>
          step.run("work", async () => {
            startedAt.push(performance.now());
            return "done";
          }),
        ),
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("starts one call per busyIntervalMs even when more calls are allowed in flight, and completes every run", async () => {
    const { ids } = await h.client.send(Array.from({ length: 4 }, (_, i) => ({ name: "pace/go", data: { i } })));
    const runIds = (await Promise.all(ids.map((id) => runsForEvent(getDb(), id)))).flat();
    const runs = await Promise.all(runIds.map((id) => h.waitForRun(id)));
    expect(runs.map((run) => run.status)).toEqual(["completed", "completed", "completed", "completed"]);
    expect(startedAt).toHaveLength(4);
    // Measured where each step runs, some way into its call (tens of ms later under load), so one
    // gap alone can come out well short of 200 ms. The span of all four cannot: 3 × 200 ms apart,
    // against ~20 ms without pacing.
    expect(startedAt.at(-1)! - startedAt[0]).toBeGreaterThanOrEqual(300);
  });
});
