// Publishing a flow with a Schedule trigger through the API: an invalid cron is refused with the
// reason; activating, pausing and deleting change which flows the app's cron functions cover, and
// each change asks the run host to sync its functions again.
import { afterAll, beforeAll, expect, it } from "vitest";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as flowRoute from "@/app/api/v1/flows/[flowId]/route";
import * as publishRoute from "@/app/api/v1/flows/[flowId]/publish/route";
import * as activateRoute from "@/app/api/v1/flows/[flowId]/activate/route";
import * as pauseRoute from "@/app/api/v1/flows/[flowId]/pause/route";
import { listScheduledFlows } from "@/lib/schedules/list-scheduled-flows";
import { onSchedulesChanged } from "@/lib/schedules/schedules-changed";
import { bindApp, call, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";

const graphWith = (cron: string, timezone = "Europe/Berlin") => ({
  nodes: [
    { id: "clock", kind: "schedule_trigger", name: "Every morning", config: { cron, timezone }, position: { x: 0, y: 0 } },
    { id: "shape", kind: "transform", name: "Shape", config: { mode: "fields", fields: [{ path: "at", value: "{{ trigger.body.scheduledAt }}" }] }, position: { x: 300, y: 0 } },
  ],
  edges: [{ id: "e1", source: "clock", sourcePort: "out", target: "shape" }],
});

describeEachDatabase("schedules through the API", (getDb) => {
  let cookie = "";
  let changes = 0;
  let stopListening = () => {};
  beforeAll(() => {
    stopListening = onSchedulesChanged(() => changes++);
  });
  afterAll(() => stopListening());

  it("refuses to publish an invalid cron, saying why and on which field", async () => {
    cookie = await signUp(bindApp(getDb()), "schedules@example.com");
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "Bad clock", graph: graphWith("0 25 * * *") } });
    const refused = await call(publishRoute.POST, { method: "POST", cookie, params: { flowId: flow.id } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(/"0 25 \* \* \*" isn't a valid cron expression: hour value 25 is out of range \(0-23\)/);
    expect(refused.body.error.details.issues).toEqual([expect.objectContaining({ nodeId: "clock", field: "cron" })]);
    expect(await getDb().prisma.flowVersion.count({ where: { flowId: flow.id } })).toBe(0);
  });

  it("schedules an active published flow, and stops when it is paused or deleted", async () => {
    const session = cookie;
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie: session, body: { name: "Morning", graph: graphWith("0 7 * * 1-5") } });
    const scheduled = async () => (await listScheduledFlows(getDb())).filter((entry) => entry.flowId === flow.id).map((entry) => entry.cron);

    const before = changes;
    expect((await call(publishRoute.POST, { method: "POST", cookie: session, params: { flowId: flow.id } })).status).toBe(201);
    expect(await scheduled()).toEqual([]); // published, not active yet
    expect((await call(activateRoute.POST, { method: "POST", cookie: session, params: { flowId: flow.id } })).status).toBe(200);
    expect(await scheduled()).toEqual(["TZ=Europe/Berlin 0 7 * * 1-5"]);
    expect((await call(pauseRoute.POST, { method: "POST", cookie: session, params: { flowId: flow.id } })).status).toBe(200);
    expect(await scheduled()).toEqual([]);
    expect((await call(flowRoute.DELETE, { method: "DELETE", cookie: session, params: { flowId: flow.id } })).status).toBe(204);
    // Publish, activate, pause and delete each asked the run host to sync the functions again.
    expect(changes - before).toBe(4);
  });
});
