// Child process for for-each-crash.test.ts: the app's run-workflow on an embedded engine.
// MODE=send sends one run.requested event and keeps working until it is killed; MODE=resume only
// works, and exits once the run has ended.
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { createRunWorkflow } from "@/inngest/functions/run-workflow";
import { setProcessDatabase } from "@/lib/db";
import { openDatabase } from "@/lib/db/client";
import { startHarness } from "../engine/harness";
import { until } from "../helpers/until";

const { MODE, CRASH_DB, RUN_DATA } = process.env;
if (!CRASH_DB || !RUN_DATA) throw new Error("CRASH_DB and RUN_DATA are required");
const data = JSON.parse(RUN_DATA) as RunRequestedData;

const db = await openDatabase({ kind: "postgres", url: CRASH_DB, poolSize: 5 });
setProcessDatabase(db);
const harness = await startHarness({ db, appId: "switchyard", functions: (client) => [createRunWorkflow(client)], timeScale: 0.001 });

if (MODE === "send") {
  await harness.client.send({ id: data.runId, name: RUN_REQUESTED, data });
  console.log("sent");
} else {
  await until(async () => {
    const [run] = await db.query<{ status: string }>(`SELECT status FROM "Run" WHERE id = $1`, [data.runId]);
    return run && !["queued", "running", "waiting"].includes(run.status);
  }, "the run to end", 100_000, 50);
  await harness.close();
  await db.close();
  console.log("done");
  process.exit(0);
}
