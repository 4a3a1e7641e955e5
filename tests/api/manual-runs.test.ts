// POST /api/v1/flows/:id/runs: running a published flow with a Manual trigger by hand, with the
// JSON body as its payload (API key or session), the refusals that say why, and test runs of the
// draft (?source=draft).
import { expect, it } from "vitest";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as publishRoute from "@/app/api/v1/flows/[flowId]/publish/route";
import * as activateRoute from "@/app/api/v1/flows/[flowId]/activate/route";
import * as pauseRoute from "@/app/api/v1/flows/[flowId]/pause/route";
import * as flowRunsRoute from "@/app/api/v1/flows/[flowId]/runs/route";
import * as runRoute from "@/app/api/v1/runs/[runId]/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { bindApp, call, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";

const transform = { id: "shape", kind: "transform", name: "Shape", config: { mode: "fields", fields: [{ path: "email", value: "{{ trigger.body.email }}" }] }, position: { x: 200, y: 0 } };
const webhookGraph = {
  nodes: [{ id: "trigger", kind: "webhook_trigger", name: "Webhook", config: {}, position: { x: 0, y: 0 } }, transform],
  edges: [{ id: "e1", source: "trigger", sourcePort: "out", target: "shape" }],
};
const manualGraph = {
  nodes: [{ id: "trigger", kind: "manual_trigger", name: "Run by hand", config: {}, position: { x: 0, y: 0 } }, transform],
  edges: webhookGraph.edges,
};

describeEachDatabase("manual runs through the API", (getDb) => {
  let cookie = "";

  /** A flow created, published and (unless "draft") activated or paused through the API. */
  async function publishedFlow(graph: object, status: "active" | "paused" | "draft" = "active") {
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "By hand", graph } });
    const published = await call(publishRoute.POST, { method: "POST", cookie, params: { flowId: flow.id } });
    expect(published.status).toBe(201);
    if (status !== "draft") expect((await call(status === "active" ? activateRoute.POST : pauseRoute.POST, { method: "POST", cookie, params: { flowId: flow.id } })).status).toBe(200);
    return { flowId: flow.id as string, versionId: published.body.version.id as string };
  }

  it("runs the published version with the JSON body as its payload, by session or API key", async () => {
    cookie = await signUp(bindApp(getDb()), "manual@example.com");
    const { userId, workspaceId } = await getDb().prisma.membership.findFirstOrThrow();
    const { flowId, versionId } = await publishedFlow(manualGraph, "draft");

    const started = await call(flowRunsRoute.POST, { method: "POST", cookie, params: { flowId }, body: { email: "ada@example.com", tags: ["vip"] } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ flowVersionId: versionId, isTest: false });
    const run = await call(runRoute.GET, { cookie, params: { runId: started.body.runId } });
    expect(run.body).toMatchObject({ status: "queued", isTest: false });
    expect(run.body.triggerPayload.body).toEqual({ email: "ada@example.com", tags: ["vip"] });
    // The run is queued for the engine like every other run: one outbox event, id = run id.
    expect(await getDb().prisma.outboxEvent.count({ where: { eventId: started.body.runId } })).toBe(1);

    const { key } = await createApiKey(getDb().prisma, { workspaceId, userId, name: "script" });
    const byKey = await call(flowRunsRoute.POST, { method: "POST", bearer: key, params: { flowId }, rawBody: "[1, 2, 3]" });
    expect(byKey.status).toBe(201);
    const keyed = await getDb().prisma.run.findUniqueOrThrow({ where: { id: byKey.body.runId } });
    expect((keyed.triggerPayload as { body: unknown }).body).toEqual([1, 2, 3]);

    // No body: an empty payload.
    const empty = await call(flowRunsRoute.POST, { method: "POST", cookie, params: { flowId } });
    expect(empty.status).toBe(201);
    expect(((await getDb().prisma.run.findUniqueOrThrow({ where: { id: empty.body.runId } })).triggerPayload as { body: unknown }).body).toEqual({});
  });

  it("runs a paused flow by hand too: pausing stops its trigger, not its owner", async () => {
    const { flowId } = await publishedFlow(manualGraph, "paused");
    expect((await call(flowRunsRoute.POST, { method: "POST", cookie, params: { flowId }, body: { n: 1 } })).status).toBe(201);
  });

  it("refuses a flow that is not published, has no Manual trigger, is another workspace's, or a body that is not JSON", async () => {
    const { body: draft } = await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "Draft only", graph: webhookGraph } });
    const unpublished = await call(flowRunsRoute.POST, { method: "POST", cookie, params: { flowId: draft.id }, body: { email: "a@b.c" } });
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.error).toMatchObject({ code: "not_published", message: 'Flow "Draft only" is not published: publish it before running it' });

    expect((await call(publishRoute.POST, { method: "POST", cookie, params: { flowId: draft.id } })).status).toBe(201);
    const webhookFlow = await call(flowRunsRoute.POST, { method: "POST", cookie, params: { flowId: draft.id }, body: { email: "a@b.c" } });
    expect(webhookFlow.status).toBe(409);
    expect(webhookFlow.body.error.code).toBe("no_manual_trigger");
    expect(webhookFlow.body.error.message).toMatch(/has no manual trigger in its published version/);
    expect(await getDb().prisma.run.count({ where: { flowId: draft.id } })).toBe(0);

    const { flowId } = await publishedFlow(manualGraph);
    const { userId } = await getDb().prisma.membership.findFirstOrThrow();
    const other = await getDb().prisma.workspace.create({ data: { id: "ws_other", name: "Other", slug: "other-workspace" } });
    await getDb().prisma.membership.create({ data: { id: "m_other", workspaceId: other.id, userId, role: "owner" } });
    const { key: otherKey } = await createApiKey(getDb().prisma, { workspaceId: other.id, userId, name: "other" });
    const elsewhere = await call(flowRunsRoute.POST, { method: "POST", bearer: otherKey, params: { flowId }, body: {} });
    expect(elsewhere.status).toBe(404);
    expect(await getDb().prisma.run.count({ where: { flowId } })).toBe(0);

    const broken = await call(flowRunsRoute.POST, { method: "POST", cookie, params: { flowId }, rawBody: "{ not json" });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("invalid_json");
  });

  it("starts a test run of the draft with ?source=draft, with the body as its request or the flow's sample", async () => {
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "Tested", graph: webhookGraph } });
    await getDb().prisma.flow.update({ where: { id: flow.id }, data: { samplePayload: { email: "sample@example.com" } } });
    const path = `/api/v1/flows/${flow.id}/runs?source=draft`;
    const withBody = await call(flowRunsRoute.POST, { method: "POST", cookie, path, params: { flowId: flow.id }, body: { method: "POST", headers: { "x-a": "1" }, body: { email: "given@example.com" } } });
    expect(withBody.status).toBe(201);
    expect(withBody.body.isTest).toBe(true);
    const given = await getDb().prisma.run.findUniqueOrThrow({ where: { id: withBody.body.runId } });
    expect(given.triggerPayload).toMatchObject({ body: { email: "given@example.com" }, headers: { "x-a": "1" } });

    const sample = await call(flowRunsRoute.POST, { method: "POST", cookie, path, params: { flowId: flow.id } });
    expect(sample.status).toBe(201);
    expect(((await getDb().prisma.run.findUniqueOrThrow({ where: { id: sample.body.runId } })).triggerPayload as { body: unknown }).body).toEqual({ email: "sample@example.com" });
  });
});
