// Two app processes' engines on one PostgreSQL database (here two engines in one test process,
// each with its own worker lease, HTTP server and serve endpoint): every step runs exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { runsForEvent, startHarness, type Harness } from "./harness";

describe("two engines sharing one PostgreSQL database", () => {
  let db: TestDatabase;
  const engines: Harness[] = [];
  const executions: { engine: string; key: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const name of ["a", "b"]) {
      engines.push(
        await startHarness({
          db,
          appId: "shared",
          pollIntervalMs: 10,
          functions: (client) => [
            client.createFunction({ id: "naps", triggers: [{ event: "shared/start" }] }, async ({ step, runId }) => {
              const record = (stepName: string) => step.run(stepName, () => void executions.push({ engine: name, key: `${runId} ${stepName}` }));
              await record("first");
              await step.sleep("nap-1", "20s"); // 20 ms at the test time scale: both engines race for the wake-up
              await record("second");
              await step.sleep("nap-2", "20s");
              await record("third");
              return "rested";
            }),
          ],
        }),
      );
    }
  });
  afterAll(async () => {
    for (const engine of engines) await engine.close();
    await db?.destroy();
  });

  it("runs each step of each run once, with both engines taking work", async () => {
    const runIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { ids } = await engines[i % 2].client.send({ name: "shared/start", data: { i } });
      runIds.push(...(await runsForEvent(db, ids[0])));
    }
    const runs = await Promise.all(runIds.map((id) => engines[0].waitForRun(id, 30_000)));
    expect(runs.map((r) => r.status)).toEqual(runIds.map(() => "completed"));

    const counts = new Map<string, number>();
    for (const { key } of executions) counts.set(key, (counts.get(key) ?? 0) + 1);
    expect(counts.size).toBe(30 * 3);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(executions.map((e) => e.engine))).toEqual(new Set(["a", "b"]));
  });
});
