import { expect, it } from "vitest";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as flowRoute from "@/app/api/v1/flows/[flowId]/route";
import * as publishRoute from "@/app/api/v1/flows/[flowId]/publish/route";
import * as activateRoute from "@/app/api/v1/flows/[flowId]/activate/route";
import * as pauseRoute from "@/app/api/v1/flows/[flowId]/pause/route";
import * as versionsRoute from "@/app/api/v1/flows/[flowId]/versions/route";
import { bindApp, call, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";

const graph = {
  nodes: [
    { id: "trigger", kind: "webhook_trigger", name: "Webhook", config: {}, position: { x: 0, y: 0 } },
    { id: "notify", kind: "http_request", name: "Notify", config: { url: "https://example.com" }, position: { x: 200, y: 0 } },
  ],
  edges: [{ id: "e1", source: "trigger", sourcePort: "out", target: "notify" }],
};

describeEachDatabase("flows API", (getDb) => {
  let owner = "";

  it("requires a session or API key", async () => {
    bindApp(getDb());
    const res = await call(flowsRoute.GET);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthenticated");
  });

  it("creates, lists, reads, updates and deletes flows in the caller's workspace", async () => {
    const auth = bindApp(getDb());
    owner = await signUp(auth, "owner@example.com");

    const created = await call(flowsRoute.POST, { method: "POST", cookie: owner, body: { name: "Orders", description: "Stripe → fulfilment" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Orders", status: "draft", draftRevision: 0, graph: { nodes: [], edges: [] } });
    const flowId = created.body.id as string;

    const list = await call(flowsRoute.GET, { cookie: owner });
    expect(list.body.flows.map((f: { name: string }) => f.name)).toEqual(["Orders"]);

    const saved = await call(flowRoute.PATCH, { method: "PATCH", cookie: owner, params: { flowId }, body: { graph, revision: 0 } });
    expect(saved.status).toBe(200);
    expect(saved.body.draftRevision).toBe(1);
    expect(saved.body.graph.nodes).toHaveLength(2);

    const fetched = await call(flowRoute.GET, { cookie: owner, params: { flowId } });
    expect(fetched.body.graph.edges[0]).toMatchObject({ source: "trigger", target: "notify" });

    const deleted = await call(flowRoute.DELETE, { method: "DELETE", cookie: owner, params: { flowId } });
    expect(deleted.status).toBe(204);
    expect((await call(flowRoute.GET, { cookie: owner, params: { flowId } })).status).toBe(404);
  });

  it("refuses a draft save over a newer revision with 409 and keeps the newer draft", async () => {
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie: owner, body: { name: "Two tabs" } });
    const params = { flowId: flow.id };
    expect((await call(flowRoute.PATCH, { method: "PATCH", cookie: owner, params, body: { graph, revision: 0 } })).status).toBe(200);
    const stale = await call(flowRoute.PATCH, { method: "PATCH", cookie: owner, params, body: { graph: { nodes: [], edges: [] }, revision: 0 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual({ currentRevision: 1 });
    expect((await call(flowRoute.GET, { cookie: owner, params })).body.graph.nodes).toHaveLength(2);
  });

  it("answers bad input with specific JSON errors", async () => {
    const noName = await call(flowsRoute.POST, { method: "POST", cookie: owner, body: { name: "  " } });
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatchObject({ code: "validation_failed", message: "name: Name is required" });

    const badJson = await call(flowsRoute.POST, { method: "POST", cookie: owner, rawBody: "{nope" });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe("invalid_json");

    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie: owner, body: { name: "Bad graph" } });
    const badGraph = await call(flowRoute.PATCH, {
      method: "PATCH",
      cookie: owner,
      params: { flowId: flow.id },
      body: { revision: 0, graph: { nodes: [{ id: "has space", kind: "x" }], edges: [] } },
    });
    expect(badGraph.status).toBe(400);
    expect(badGraph.body.error.details[0].path).toBe("graph.nodes.0.id");
  });

  it("publishes immutable versions and only activates published flows", async () => {
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie: owner, body: { name: "Publish me" } });
    const params = { flowId: flow.id };
    expect((await call(publishRoute.POST, { method: "POST", cookie: owner, params })).status).toBe(422);

    const activateEarly = await call(activateRoute.POST, { method: "POST", cookie: owner, params });
    expect(activateEarly.status).toBe(409);
    expect(activateEarly.body.error.code).toBe("not_published");

    await call(flowRoute.PATCH, { method: "PATCH", cookie: owner, params, body: { graph, revision: 0 } });
    const v1 = await call(publishRoute.POST, { method: "POST", cookie: owner, params, body: { note: "first" } });
    expect(v1.status).toBe(201);
    expect(v1.body.version.version).toBe(1);

    // Editing the draft afterwards leaves version 1 as it was.
    await call(flowRoute.PATCH, { method: "PATCH", cookie: owner, params, body: { graph: { ...graph, nodes: graph.nodes.slice(0, 1), edges: [] }, revision: 1 } });
    const v2 = await call(publishRoute.POST, { method: "POST", cookie: owner, params });
    expect(v2.body.version.version).toBe(2);
    const stored = await getDb().prisma.flowVersion.findUniqueOrThrow({ where: { id: v1.body.version.id } });
    expect((stored.graph as { nodes: unknown[] }).nodes).toHaveLength(2);

    const versions = await call(versionsRoute.GET, { cookie: owner, params });
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    expect((await call(activateRoute.POST, { method: "POST", cookie: owner, params })).body.status).toBe("active");
    expect((await call(pauseRoute.POST, { method: "POST", cookie: owner, params })).body.status).toBe("paused");
  });

  it("publishes with warnings about expression paths the sample or a step's last output does not have", async () => {
    const withPaths = {
      nodes: [
        graph.nodes[0],
        { id: "shape", kind: "transform", name: "Shape", config: { fields: [{ path: "email", value: "{{ trigger.body.email }}" }] }, position: { x: 200, y: 0 } },
        { id: "big", kind: "filter", name: "Big", config: { rules: [{ left: "{{ steps.shape.output.amount }}", operator: "greater_than", right: "100" }] }, position: { x: 400, y: 0 } },
        { ...graph.nodes[1], config: { url: "https://example.com", method: "POST", bodyType: "json", jsonBody: { name: "{{ trigger.body.fullName }}" } } },
      ],
      edges: [
        { id: "e1", source: "trigger", sourcePort: "out", target: "shape" },
        { id: "e2", source: "shape", sourcePort: "out", target: "big" },
        { id: "e3", source: "big", sourcePort: "out", target: "notify" },
      ],
    };
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie: owner, body: { name: "Paths", graph: withPaths } });
    const params = { flowId: flow.id };
    const { prisma } = getDb();
    // What earlier runs showed: the trigger's sample and shape's last output.
    await prisma.flow.update({ where: { id: flow.id }, data: { samplePayload: { body: { email: "ada@example.com", name: "Ada" }, headers: {}, method: "POST" } } });
    const first = await call(publishRoute.POST, { method: "POST", cookie: owner, params });
    const { workspaceId } = await prisma.flow.findUniqueOrThrow({ where: { id: flow.id } });
    const run = await prisma.run.create({ data: { workspaceId, flowId: flow.id, flowVersionId: first.body.version.id, status: "succeeded", triggerPayload: {}, finishedAt: new Date() } });
    await prisma.runStep.create({ data: { runId: run.id, nodeId: "shape", nodeKind: "transform", status: "succeeded", output: { email: "ada@example.com" }, finishedAt: new Date() } });

    const published = await call(publishRoute.POST, { method: "POST", cookie: owner, params });
    expect(published.status).toBe(201);
    expect(published.body.version.version).toBe(2);
    expect(published.body.warnings).toEqual([
      {
        nodeId: "big",
        field: "rules[0].left",
        severity: "warning",
        message: 'Node "big": rules[0].left: {{ steps.shape.output.amount }} would be empty: steps.shape has no field "output" in the last run of "shape" (it has: email)',
      },
      {
        nodeId: "notify",
        field: "jsonBody.name",
        severity: "warning",
        message: 'Node "notify": jsonBody.name: {{ trigger.body.fullName }} would be empty: trigger.body has no field "fullName" in the trigger\'s sample payload (it has: name, email)',
      },
    ]);
    // Before any run of shape only the sample could be checked.
    expect(first.body.warnings.map((w: { nodeId: string }) => w.nodeId)).toEqual(["notify"]);
  });
});

describeEachDatabase("flows API and trigger endpoints", (getDb) => {
  it("gives each trigger node an endpoint when the draft is saved, and disables it when the node goes", async () => {
    const auth = bindApp(getDb());
    const cookie = await signUp(auth, "builder@example.com");
    const { body: flow } = await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "Hooks", graph } });
    const endpoints = await getDb().prisma.endpoint.findMany({ where: { flowId: flow.id } });
    expect(endpoints.map((e) => [e.nodeId, e.preset, e.enabled])).toEqual([["trigger", "generic", true]]);
    expect(endpoints[0].token.length).toBeGreaterThanOrEqual(22);

    const withoutTrigger = { nodes: graph.nodes.slice(1), edges: [] };
    await call(flowRoute.PATCH, { method: "PATCH", cookie, params: { flowId: flow.id }, body: { graph: withoutTrigger, revision: 0 } });
    const after = await getDb().prisma.endpoint.findFirstOrThrow({ where: { flowId: flow.id } });
    expect(after.enabled).toBe(false);
    expect(after.token).toBe(endpoints[0].token);
  });
});
