// The /api/v1 routes that start, cancel, replay and approve runs, and the credentials API.
import { expect, it } from "vitest";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as flowRoute from "@/app/api/v1/flows/[flowId]/route";
import * as publishRoute from "@/app/api/v1/flows/[flowId]/publish/route";
import * as flowRunsRoute from "@/app/api/v1/flows/[flowId]/runs/route";
import * as runRoute from "@/app/api/v1/runs/[runId]/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as metricsRoute from "@/app/api/v1/metrics/route";
import * as versionsRoute from "@/app/api/v1/flows/[flowId]/versions/route";
import * as cancelRoute from "@/app/api/v1/runs/[runId]/cancel/route";
import * as replayRoute from "@/app/api/v1/runs/[runId]/replay/route";
import * as approvalRoute from "@/app/api/v1/runs/[runId]/approval/route";
import * as credentialsRoute from "@/app/api/v1/credentials/route";
import * as credentialRoute from "@/app/api/v1/credentials/[credentialId]/route";
import { credentialListSchema } from "@/lib/credentials/credential-responses";
import { flowListSchema, flowSchema, flowVersionListSchema } from "@/lib/flows/flow-responses";
import { runListSchema, runMetricsSchema, runWithStepsSchema, startedRunSchema } from "@/lib/runs/run-responses";
import { startRun } from "@/lib/runs/start-run";
import { bindApp, call, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";

const graph = {
  nodes: [
    { id: "trigger", kind: "webhook_trigger", name: "Webhook", config: {}, position: { x: 0, y: 0 } },
    { id: "shape", kind: "transform", name: "Shape", config: { mode: "fields", fields: [{ path: "email", value: "{{ trigger.body.email }}" }] }, position: { x: 200, y: 0 } },
  ],
  edges: [{ id: "e1", source: "trigger", sourcePort: "out", target: "shape" }],
};

describeEachDatabase("runs and credentials API", (getDb) => {
  let cookie = "";
  let flowId = "";

  // A run of the published webhook flow, as a delivery starts it (manual runs through the API need a Manual trigger).
  async function startPublishedRun(body: unknown) {
    const { workspaceId } = await getDb().prisma.flow.findUniqueOrThrow({ where: { id: flowId } });
    return startRun(getDb().prisma, { workspaceId, flowId, source: { type: "version" }, trigger: { method: "POST", body } });
  }

  it("refuses to publish an invalid flow and lists every problem with its node", async () => {
    cookie = await signUp(bindApp(getDb()), "runs@example.com");
    const cyclic = {
      nodes: [...graph.nodes, { id: "again", kind: "transform", name: "Again", config: { mode: "fields", fields: [{ path: "x", value: "1" }] }, position: { x: 400, y: 0 } }],
      edges: [...graph.edges, { id: "e2", source: "shape", sourcePort: "out", target: "again" }, { id: "e3", source: "again", sourcePort: "out", target: "shape" }],
    };
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "Cyclic", graph: cyclic } });
    const res = await call(publishRoute.POST, { method: "POST", cookie, params: { flowId: flow.id } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/problem/);
    expect(res.body.error.details.issues.some((i: { message: string }) => /cycle/i.test(i.message))).toBe(true);
    expect(await getDb().prisma.flowVersion.count({ where: { flowId: flow.id } })).toBe(0);
  });

  it("shows a run of the published version, cancels it once", async () => {
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "Leads", graph } });
    flowId = flow.id;
    const unpublished = await call(flowRunsRoute.POST, { method: "POST", cookie, params: { flowId }, body: {} });
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.error.code).toBe("not_published");
    expect((await call(publishRoute.POST, { method: "POST", cookie, params: { flowId } })).status).toBe(201);

    const { runId } = await startPublishedRun({ email: "a@b.c" });
    const run = await call(runRoute.GET, { cookie, params: { runId } });
    expect(run.body).toMatchObject({ status: "queued", flowName: "Leads", version: 1 });
    expect(run.body.triggerPayload.body).toEqual({ email: "a@b.c" });
    expect(await getDb().prisma.outboxEvent.count({ where: { eventId: runId } })).toBe(1);

    expect((await call(cancelRoute.POST, { method: "POST", cookie, params: { runId } })).status).toBe(200);
    expect((await call(runRoute.GET, { cookie, params: { runId } })).body.status).toBe("cancelled");
    const again = await call(cancelRoute.POST, { method: "POST", cookie, params: { runId } });
    expect(again.status).toBe(409);
  });

  it("replays a run from the start and refuses a failed-only replay of a run that did not fail", async () => {
    const started = await startPublishedRun({ email: "x@y.z" });
    await getDb().prisma.run.update({ where: { id: started.runId }, data: { status: "succeeded" } });
    const refused = await call(replayRoute.POST, { method: "POST", cookie, params: { runId: started.runId }, body: { mode: "failed-only" } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid_request");

    const replay = await call(replayRoute.POST, { method: "POST", cookie, params: { runId: started.runId }, body: { mode: "full" } });
    expect(replay.status).toBe(201);
    const replayed = await call(runRoute.GET, { cookie, params: { runId: replay.body.runId } });
    expect(replayed.body).toMatchObject({ replayOfId: started.runId, replayMode: "full", status: "queued" });
    expect(replayed.body.triggerPayload.body).toEqual({ email: "x@y.z" });

    const approval = await call(approvalRoute.POST, { method: "POST", cookie, params: { runId: replay.body.runId }, body: { nodeId: "shape", decision: "approve" } });
    expect(approval.status).toBe(409);
    expect(approval.body.error.message).toMatch(/not waiting for approval/);
  });

  it("answers in the shapes the browser checks (the shared response schemas), dates as ISO strings", async () => {
    const started = await call(flowRunsRoute.POST, { method: "POST", cookie, path: `/api/v1/flows/${flowId}/runs?source=draft`, params: { flowId }, body: { method: "POST", body: { email: "s@h.a" } } });
    expect(startedRunSchema.parse(started.body).runId).toBe(started.body.runId);
    const run = runWithStepsSchema.parse((await call(runRoute.GET, { cookie, params: { runId: started.body.runId } })).body);
    expect(run).toMatchObject({ id: started.body.runId, flowName: "Leads", createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    // The list shows production runs (a test run of the draft is not one).
    const published = await startPublishedRun({ email: "p@u.b" });
    expect(runListSchema.parse((await call(runsRoute.GET, { cookie, path: "/api/v1/runs" })).body).runs.map((r) => r.id)).toContain(published.runId);
    expect(runMetricsSchema.parse((await call(metricsRoute.GET, { cookie, path: "/api/v1/metrics?window=1h" })).body).window).toBe("1h");
    expect(flowSchema.parse((await call(flowRoute.GET, { cookie, params: { flowId } })).body).id).toBe(flowId);
    expect(flowListSchema.parse((await call(flowsRoute.GET, { cookie, path: "/api/v1/flows" })).body).flows.map((f) => f.id)).toContain(flowId);
    expect(flowVersionListSchema.parse((await call(versionsRoute.GET, { cookie, params: { flowId } })).body).versions[0].version).toBe(1);
    expect(credentialListSchema.parse((await call(credentialsRoute.GET, { cookie, path: "/api/v1/credentials" })).body).credentials).toEqual(expect.any(Array));
  });

  it("stores credentials encrypted and never returns their secrets", async () => {
    const createdRes = await call(credentialsRoute.POST, {
      method: "POST",
      cookie,
      body: { name: "Team Slack", type: "slack_webhook", data: { url: "https://hooks.slack.com/services/T000/B000/supersecret" } },
    });
    expect(createdRes.status).toBe(201);
    expect(JSON.stringify(createdRes.body)).not.toContain("supersecret");
    const row = await getDb().prisma.credential.findUniqueOrThrow({ where: { id: createdRes.body.id } });
    expect(row.dataEncrypted).not.toContain("supersecret");

    const list = await call(credentialsRoute.GET, { cookie });
    expect(list.body.credentials.map((c: { name: string }) => c.name)).toEqual(["Team Slack"]);
    expect(JSON.stringify(list.body)).not.toContain("supersecret");

    const dup = await call(credentialsRoute.POST, { method: "POST", cookie, body: { name: "Team Slack", type: "slack_webhook", data: { url: "https://hooks.slack.com/services/x" } } });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toMatch(/already exists/);

    expect((await call(credentialRoute.DELETE, { method: "DELETE", cookie, params: { credentialId: createdRes.body.id } })).status).toBe(204);
    expect((await call(credentialRoute.DELETE, { method: "DELETE", cookie, params: { credentialId: createdRes.body.id } })).status).toBe(404);
  });

  it("saves per-flow alert settings", async () => {
    const flow = await call(flowRoute.GET, { cookie, params: { flowId } });
    expect(flow.body.settings.alerts.enabled).toBe(false);
    const saved = await call(flowRoute.PATCH, {
      method: "PATCH",
      cookie,
      params: { flowId },
      body: { settings: { alerts: { enabled: true, rule: "consecutive_failures", threshold: 3 } } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.settings.alerts).toMatchObject({ enabled: true, rule: "consecutive_failures", threshold: 3, minIntervalMinutes: 60 });
  });
});
