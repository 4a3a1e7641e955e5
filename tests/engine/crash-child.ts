// Child process for crash.test.ts: an engine whose function appends every step execution to a
// file. MODE=send starts CRASH_RUNS runs and keeps working until it is killed; MODE=resume
// only works, and exits once every run has ended.
import { appendFileSync } from "node:fs";
import { openDatabase } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { until } from "../helpers/until";
import { startHarness } from "./harness";

const { MODE, CRASH_LOG, CRASH_DB, CRASH_RUNS = "20" } = process.env;
if (!CRASH_LOG || !CRASH_DB) throw new Error("CRASH_LOG and CRASH_DB are required");

const db = await openDatabase({ kind: "postgres", url: CRASH_DB, poolSize: 5 });
await applyMigrations(db);
const harness = await startHarness({
  db,
  appId: "crash",
  functions: (client) => [
    client.createFunction({ id: "five-steps", triggers: [{ event: "crash/start" }] }, async ({ step, runId, event }) => {
      let total = 0;
      for (let i = 1; i <= 5; i++) {
        total += await step.run(`step-${i}`, async () => {
          appendFileSync(CRASH_LOG, `${runId} step-${i}\n`);
          await new Promise((resolve) => setTimeout(resolve, 15));
          return i * (event.data as { n: number }).n;
        });
      }
      return total;
    }),
  ],
});

if (MODE === "send") {
  const count = Number(CRASH_RUNS);
  await harness.client.send(Array.from({ length: count }, (_, n) => ({ name: "crash/start", data: { n: n + 1 } })));
  console.log("sent");
} else {
  await until(
    async () => (await db.query<{ running: number }>(`SELECT count(*)::int AS running FROM "EngineRun" WHERE status = 'running'`))[0].running === 0,
    "every run to end",
    120_000,
    50,
  );
  await harness.close();
  await db.close();
  console.log("done");
  process.exit(0);
}
