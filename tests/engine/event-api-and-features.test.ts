// The event API's refusals, trigger `if` filters, idempotency keys and step.invoke.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../helpers/databases";
import { runsForEvent, startHarness, type Harness } from "./harness";

describeEachDatabase("embedded engine features", (getDb) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      db: getDb(),
      appId: "features",
      functions: (client) => {
        const child = client.createFunction({ id: "child", triggers: [{ event: "features/never" }] }, async ({ event, step }) =>
          step.run("double", () => (event.data as { n: number }).n * 2),
        );
        return [
          child,
          client.createFunction({ id: "big-orders", triggers: [{ event: "features/order", if: "event.data.amount > 100" }] }, async ({ event }) => {
            return (event.data as { amount: number }).amount;
          }),
          client.createFunction({ id: "once-per-user", idempotency: "event.data.userId", triggers: [{ event: "features/signup" }] }, async () => "welcomed"),
          client.createFunction({ id: "relay", triggers: [{ event: "features/relay" }] }, async ({ step }) => {
            await step.sleepUntil("until-a-moment-from-now", new Date(Date.now() + 60_000)); // 60 ms at the test scale
            const sent = await step.sendEvent("forward", { name: "features/order", data: { amount: 777 } });
            return sent.ids.length;
          }),
          client.createFunction({ id: "parent", triggers: [{ event: "features/invoke" }] }, async ({ step }) => {
            const doubled = await step.invoke("call-child", { function: child, data: { n: 21 } });
            return { doubled };
          }),
        ];
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${h.origin}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("refuses a wrong event key, reserved names and malformed events, saying why", async () => {
    const wrongKey = await post("/api/engine/e/not-the-key", { name: "features/order", data: {} });
    expect(wrongKey.status).toBe(401);
    const reserved = await post(`/api/engine/e/${h.keys.eventKey}`, { name: "inngest/function.failed", data: {} });
    expect(reserved.status).toBe(400);
    expect((await reserved.json()).error).toMatch(/reserved/);
    const badData = await post(`/api/engine/e/${h.keys.eventKey}`, [{ name: "features/order", data: [1] }]);
    expect((await badData.json()).error).toBe('event 0: "data" must be an object');
    const ok = await post(`/api/engine/e/${h.keys.eventKey}`, [{ name: "features/other", data: {} }]);
    expect(await ok.json()).toEqual({ ids: [expect.stringMatching(/^[0-9A-Z]{26}$/)], status: 200 });
  });

  it("starts a run only when the trigger's if expression holds", async () => {
    const { ids } = await h.client.send([
      { name: "features/order", data: { amount: 50 } },
      { name: "features/order", data: { amount: 500 } },
    ]);
    const [big] = await runsForEvent(getDb(), ids[1]);
    expect((await h.waitForRun(big)).output).toBe(500);
    expect(await runsForEvent(getDb(), ids[0], 1, 0)).toEqual([]);
  });

  it("starts one run per idempotency key value", async () => {
    const { ids } = await h.client.send([
      { name: "features/signup", data: { userId: "u1" } },
      { name: "features/signup", data: { userId: "u1" } },
      { name: "features/signup", data: { userId: "u2" } },
    ]);
    const started = await Promise.all(ids.map((id, i) => runsForEvent(getDb(), id, 1, i === 1 ? 200 : 5000)));
    expect(started.map((runs) => runs.length)).toEqual([1, 0, 1]);
  });

  it("step.sleepUntil waits, and step.sendEvent starts the runs its event triggers", async () => {
    const { ids } = await h.client.send({ name: "features/relay", data: {} });
    const [runId] = await runsForEvent(getDb(), ids[0]);
    expect((await h.waitForRun(runId)).output).toBe(1);
    const forwarded = (await h.runsOf("features-big-orders")).filter((r) => r.event.data.amount === 777);
    expect(forwarded).toHaveLength(1);
    expect((await h.waitForRun(forwarded[0].id)).output).toBe(777);
  });

  it("step.invoke runs the other function and returns its result", async () => {
    const { ids } = await h.client.send({ name: "features/invoke", data: {} });
    const [runId] = await runsForEvent(getDb(), ids[0]);
    const run = await h.waitForRun(runId);
    expect(run.output).toEqual({ doubled: 42 });
    const children = await h.runsOf("features-child");
    expect(children.map((c) => c.event.name)).toEqual(["inngest/function.invoked"]);
  });
});
