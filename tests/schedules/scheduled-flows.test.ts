// Flows started by a schedule: each active flow whose published trigger is a schedule is one
// Inngest cron function of the app (served at /api/inngest, read from the database at each
// sync), and each of its times starts one normal Run of the flow.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { createRunWorkflow } from "@/inngest/functions/run-workflow";
import { createScheduledFlowFunction } from "@/inngest/functions/scheduled-flow";
import { embeddedEngineKeys } from "@/inngest/local";
import { syncFunctions } from "@/inngest/local/sync-functions";
import { createServeHandlers } from "@/inngest/serve";
import { setProcessDatabase } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { listScheduledFlows } from "@/lib/schedules/list-scheduled-flows";
import { startScheduledRun } from "@/lib/schedules/start-scheduled-run";
import { describeEachDatabase, type TestDatabase } from "../helpers/databases";
import { startHarness } from "../engine/harness";
import { edge, node, seedWorkspace } from "../helpers/flows-and-receivers";
import { until } from "../helpers/until";

const scheduleGraph = (cron: string, timezone?: string) => ({
  nodes: [
    { id: "clock", kind: "schedule_trigger", name: "Every morning", config: { cron, ...(timezone ? { timezone } : {}) }, position: { x: 0, y: 0 } },
    node("shape", "transform", { mode: "fields", fields: [{ path: "at", value: "{{ trigger.body.scheduledAt }}" }] }),
  ],
  edges: [edge("clock", "shape")],
});
const webhookGraph = { nodes: [{ id: "hook", kind: "webhook_trigger", name: "Hook", config: {}, position: { x: 0, y: 0 } }], edges: [] };

describeEachDatabase("scheduled flows", (getDb) => {
  let db: TestDatabase;
  let workspaceId = "";

  /** A flow whose version 1 is published (written directly; publishing through the API: tests/api/schedules-api.test.ts). */
  async function flowWith(graph: object, status: "active" | "paused" | "draft" = "active", name = "Morning report") {
    const flow = await db.prisma.flow.create({ data: { workspaceId, name, draftGraph: graph as Prisma.InputJsonValue, status } });
    const version = await db.prisma.flowVersion.create({ data: { flowId: flow.id, workspaceId, version: 1, graph: graph as Prisma.InputJsonValue } });
    await db.prisma.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
    return flow.id;
  }

  beforeAll(async () => {
    db = getDb();
    setProcessDatabase(db);
    workspaceId = (await seedWorkspace(db.prisma)).id;
  });
  afterAll(() => setProcessDatabase(undefined));

  it("lists the active flows whose published trigger is a schedule, with the cron Inngest runs them by", async () => {
    const paris = await flowWith(scheduleGraph("0 9 * * 1", "Europe/Paris"), "active", "Monday digest");
    const utc = await flowWith(scheduleGraph("*/5 * * * *"), "active", "Every five minutes");
    await flowWith(scheduleGraph("0 9 * * 1"), "paused");
    await flowWith(webhookGraph);
    const logged: string[] = [];
    const broken = await flowWith(scheduleGraph("0 25 * * *"));
    const flows = await listScheduledFlows(db, (message) => logged.push(message));
    expect(flows.filter((flow) => [paris, utc, broken].includes(flow.flowId))).toEqual(
      [
        { flowId: paris, name: "Monday digest", cron: "TZ=Europe/Paris 0 9 * * 1" },
        { flowId: utc, name: "Every five minutes", cron: "*/5 * * * *" },
      ].sort((a, b) => a.flowId.localeCompare(b.flowId)),
    );
    expect(logged).toEqual([`[schedules] flow ${broken} is not scheduled: the settings of its schedule trigger are invalid; publish it again`]);
    await db.prisma.flow.deleteMany({ where: { id: { in: [paris, utc, broken] } } });
  });

  it("serves one cron function per scheduled flow, read again at every sync", async () => {
    const handlers = createServeHandlers(db);
    const server = http.createServer((req, res) => void handlers.node(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const serveUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
    try {
      const sync = async () => Object.fromEntries((await syncFunctions(serveUrl, embeddedEngineKeys().signingKey)).map((fn) => [fn.id, fn.crons.map((c) => c.expression)]));
      expect(await sync()).toEqual({ "switchyard-run-workflow": [] });
      const flowId = await flowWith(scheduleGraph("30 6 * * *", "America/New_York"));
      expect(await sync()).toEqual({ "switchyard-run-workflow": [], [`switchyard-schedule-${flowId}`]: ["TZ=America/New_York 30 6 * * *"] });
      await db.prisma.flow.update({ where: { id: flowId }, data: { status: "paused" } });
      expect(await sync()).toEqual({ "switchyard-run-workflow": [] });
      await db.prisma.flow.delete({ where: { id: flowId } });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("starts one normal run per time, with { scheduledAt, cron, timezone } as the trigger body", async () => {
    const flowId = await flowWith(scheduleGraph("0 9 * * 1", "Europe/Paris"));
    const input = { flowId, cron: "TZ=Europe/Paris 0 9 * * 1", scheduledAt: "2031-03-03T08:00:00Z" };
    const first = await startScheduledRun(db.prisma, input);
    expect(first).toMatchObject({ started: true, isTest: false });
    // The step that starts it may run twice (a lost result): the same time gives the same run.
    const again = await startScheduledRun(db.prisma, input);
    expect(again).toEqual(first);
    const runs = await db.prisma.run.findMany({ where: { flowId } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "queued", scheduledFor: new Date("2031-03-03T08:00:00Z") });
    expect(runs[0].triggerPayload).toMatchObject({ body: { scheduledAt: "2031-03-03T08:00:00.000Z", cron: "0 9 * * 1", timezone: "Europe/Paris" } });
    expect(await db.prisma.outboxEvent.count({ where: { eventId: runs[0].id } })).toBe(1);

    // A schedule changed or paused since the engine synced starts nothing.
    expect(await startScheduledRun(db.prisma, { ...input, cron: "0 9 * * 1", scheduledAt: "2031-03-10T08:00:00Z" })).toEqual({ started: false, reason: "the published version has another schedule now" });
    await db.prisma.flow.update({ where: { id: flowId }, data: { status: "paused" } });
    expect(await startScheduledRun(db.prisma, { ...input, scheduledAt: "2031-03-10T08:00:00Z" })).toEqual({ started: false, reason: "the flow is paused" });
    expect(await db.prisma.run.count({ where: { flowId } })).toBe(1);
  });

  it("runs a scheduled flow at its time through the engine's cron trigger and run-workflow", async () => {
    const flowId = await flowWith(scheduleGraph("0 12 * * *", "Asia/Tokyo"), "active", "Tokyo noon");
    // 12:00 in Tokyo is 03:00 UTC; the engine's cron clock starts just before it.
    const offset = Date.parse("2031-07-01T03:00:00Z") - 1000 - Date.now();
    const harness = await startHarness({
      db,
      appId: "switchyard",
      cronClock: () => Date.now() + offset,
      functions: (client) => [createRunWorkflow(client), createScheduledFlowFunction(client, { flowId, name: "Tokyo noon", cron: "TZ=Asia/Tokyo 0 12 * * *" })],
    });
    try {
      const runs = await until(async () => {
        const found = await db.prisma.run.findMany({ where: { flowId } });
        return found.length ? found : null;
      }, "the scheduled run");
      expect(runs).toHaveLength(1);
      expect(runs[0].scheduledFor).toEqual(new Date("2031-07-01T03:00:00Z"));
      expect(runs[0].triggerPayload).toMatchObject({ body: { scheduledAt: "2031-07-01T03:00:00.000Z", cron: "0 12 * * *", timezone: "Asia/Tokyo" } });
      // What the outbox relay does with the run request.
      const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: runs[0].id } });
      await harness.client.send({ id: outbox.eventId, name: RUN_REQUESTED, data: outbox.data as unknown as RunRequestedData });
      const done = await until(async () => {
        const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runs[0].id }, include: { steps: true } });
        return ["succeeded", "failed"].includes(run.status) ? run : null;
      }, "the scheduled run to finish");
      expect(done.status).toBe("succeeded");
      expect(done.steps.find((s) => s.nodeId === "shape")?.output).toEqual({ at: "2031-07-01T03:00:00.000Z" });
    } finally {
      await harness.close();
    }
  });
});

