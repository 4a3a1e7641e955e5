// The in-process transport (inngest/host/in-process.ts): the engine calls the SDK serve handler
// and the SDK reaches the engine's event and checkpoint API without HTTP; runs behave the same.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../helpers/databases";
import { conformanceFunctions } from "./conformance-functions";
import { runsForEvent, startHarness, type Harness } from "./harness";

describeEachDatabase("embedded engine, in-process transport", (getDb) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db: getDb(), inProcess: true, functions: (client) => Object.values(conformanceFunctions(client)) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("runs sequential, parallel and sleeping functions with no HTTP request after the sync", async () => {
    const sent = await h.client.send([
      { name: "conf/sequential", data: { n: 40 } },
      { name: "conf/parallel", data: {} },
      { name: "conf/sleep", data: {} },
    ]);
    const runIds = (await Promise.all(sent.ids.map((id) => runsForEvent(getDb(), id)))).flat();
    const runs = await Promise.all(runIds.map((id) => h.waitForRun(id)));
    expect(runs.map((r) => [r.status, r.output])).toEqual([
      ["completed", { a: 1, b: 2, c: 42 }],
      ["completed", "L+R"],
      ["completed", ["before", "after"]],
    ]);
    // The one request over loopback is the engine's in-band sync (PUT /api/inngest).
    expect(h.requests).toEqual(["PUT /api/inngest"]);
  });
});
