// call_flow end to end: the embedded engine (inngest/local) drives run-workflow through the real
// SDK serve handler on PostgreSQL; a waiting call is a step.invoke of run-workflow for the child
// run, a call that does not wait starts the child through the outbox like any run.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRunWorkflow } from "@/inngest/functions/run-workflow";
import { setProcessDatabase } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import type { FlowGraph } from "@/lib/flows/graph";
import { publishFlow } from "@/lib/flows/publish-flow";
import { MAX_CALL_DEPTH, startChildRun } from "@/lib/runs/start-child-run";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase, type TestDatabase } from "../helpers/databases";
import { startHarness, type Harness } from "../engine/harness";
import { edge, node, seedPublishedFlow, seedWorkspace, triggerNode } from "../helpers/flows-and-receivers";
import { dispatchRun, waitForFinishedRun } from "../helpers/engine-runs";

describeEachDatabase("call_flow through the embedded engine", (getDb) => {
  let db: TestDatabase;
  let harness: Harness;

  beforeAll(async () => {
    db = getDb();
    setProcessDatabase(db);
    harness = await startHarness({ db, appId: "switchyard", functions: (client) => [createRunWorkflow(client)], timeScale: 0.001 });
  });
  afterAll(async () => {
    await harness?.close();
    setProcessDatabase(undefined);
  });

  const dispatch = (runId: string) => dispatchRun(db, harness.client, runId);
  const finished = (runId: string) => waitForFinishedRun(db, runId);

  async function run(workspaceId: string, flowId: string, body: unknown) {
    const { runId } = await startRun(db.prisma, { workspaceId, flowId, source: { type: "version" }, trigger: body });
    await dispatch(runId);
    return finished(runId);
  }

  const doubler: FlowGraph = {
    nodes: [triggerNode(), node("double", "transform", { fields: [{ path: "doubled", value: "{{ trigger.body.n * 2 }}" }] })],
    edges: [edge("trigger", "double")],
  };

  it("waits for the called flow and outputs its result; the child run is linked to the calling step", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const child = await seedPublishedFlow(db.prisma, workspace.id, doubler);
    const parent = await seedPublishedFlow(db.prisma, workspace.id, {
      nodes: [
        triggerNode(),
        node("call", "call_flow", { flowId: child.flow.id, input: { n: "{{ trigger.body.n }}" }, wait: true }),
        node("after", "transform", { fields: [{ path: "answer", value: "{{ steps.call.result.double.doubled }}" }] }),
      ],
      edges: [edge("trigger", "call"), edge("call", "after")],
    });
    const done = await run(workspace.id, parent.flow.id, { n: 21 });
    expect(done.status).toBe("succeeded");
    const childRun = await db.prisma.run.findFirstOrThrow({ where: { parentRunId: done.id } });
    expect(childRun).toMatchObject({ flowId: child.flow.id, parentNodeId: "call", callDepth: 1, status: "succeeded" });
    expect(childRun.triggerPayload).toMatchObject({ body: { n: 21 } });
    expect(done.steps.find((step) => step.nodeId === "call")).toMatchObject({
      status: "succeeded",
      output: { runId: childRun.id, flowId: child.flow.id, status: "succeeded", result: { double: { doubled: 42 } } },
    });
    expect(done.steps.find((step) => step.nodeId === "after")?.output).toEqual({ answer: 42 });
    // The child was started by the invoke, not by the outbox as well.
    expect(await db.prisma.outboxEvent.count({ where: { eventId: childRun.id } })).toBe(0);
  });

  it("without wait, returns the child's run id at once and the outbox starts the child", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const child = await seedPublishedFlow(db.prisma, workspace.id, doubler);
    const parent = await seedPublishedFlow(db.prisma, workspace.id, {
      nodes: [triggerNode(), node("start", "call_flow", { flowId: child.flow.id, input: "{{ trigger.body }}", wait: false })],
      edges: [edge("trigger", "start")],
    });
    const done = await run(workspace.id, parent.flow.id, { n: 5 });
    expect(done.status).toBe("succeeded");
    const childRun = await db.prisma.run.findFirstOrThrow({ where: { parentRunId: done.id } });
    expect(done.steps.find((step) => step.nodeId === "start")?.output).toEqual({ runId: childRun.id, flowId: child.flow.id, flowName: child.flow.name });
    expect(childRun.status).toBe("queued");
    await dispatch(childRun.id);
    const childDone = await finished(childRun.id);
    expect(childDone.status).toBe("succeeded");
    expect(childDone.steps.find((step) => step.nodeId === "double")?.output).toEqual({ doubled: 10 });
  });

  it("starts one child per parent run and node, however often the step runs", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const child = await seedPublishedFlow(db.prisma, workspace.id, doubler);
    const parent = await seedPublishedFlow(db.prisma, workspace.id, doubler);
    const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: parent.flow.id, source: { type: "version" }, trigger: {} });
    const request = { flowId: child.flow.id, input: { n: 1 }, wait: false };
    const at = { runId, workspaceId: workspace.id, nodeId: "call" };
    const [first, second] = await Promise.all([startChildRun(db.prisma, at, request), startChildRun(db.prisma, at, request)]);
    const third = await startChildRun(db.prisma, at, request);
    expect(second.runId).toBe(first.runId);
    expect(third.runId).toBe(first.runId);
    expect(await db.prisma.run.count({ where: { parentRunId: runId } })).toBe(1);
    expect(await db.prisma.outboxEvent.count({ where: { eventId: first.runId } })).toBe(1);
  });

  it("refuses a flow of another workspace, at run time and at publish", async () => {
    const mine = await seedWorkspace(db.prisma);
    const theirs = await seedWorkspace(db.prisma);
    const foreign = await seedPublishedFlow(db.prisma, theirs.id, doubler);
    const graph = { nodes: [triggerNode(), node("call", "call_flow", { flowId: foreign.flow.id, wait: true })], edges: [edge("trigger", "call")] };
    const parent = await seedPublishedFlow(db.prisma, mine.id, graph);
    const done = await run(mine.id, parent.flow.id, {});
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ nodeId: "call", code: "flow_not_found", message: `Node "call" failed: The called flow ${foreign.flow.id} does not exist in this workspace` });
    expect(await db.prisma.run.count({ where: { flowId: foreign.flow.id } })).toBe(0);
    await expect(publishFlow(db.prisma, mine.id, parent.flow.id, "user_1")).rejects.toMatchObject({
      details: { issues: [{ nodeId: "call", field: "flowId", message: `Node "call" calls flow ${foreign.flow.id}, which does not exist in this workspace` }] },
    });
  });

  it("refuses at publish a flow that would call itself through published flows", async () => {
    const workspace = await seedWorkspace(db.prisma);
    const a = await seedPublishedFlow(db.prisma, workspace.id, doubler);
    const b = await seedPublishedFlow(db.prisma, workspace.id, { nodes: [triggerNode(), node("toA", "call_flow", { flowId: a.flow.id, wait: true })], edges: [edge("trigger", "toA")] });
    const c = await seedPublishedFlow(db.prisma, workspace.id, { nodes: [triggerNode(), node("toB", "call_flow", { flowId: b.flow.id, wait: true })], edges: [edge("trigger", "toB")] });
    // A's new draft calls C: A → C → B → A.
    const draft = { nodes: [triggerNode(), node("toC", "call_flow", { flowId: c.flow.id, wait: false })], edges: [edge("trigger", "toC")] };
    await db.prisma.flow.update({ where: { id: a.flow.id }, data: { draftGraph: draft as unknown as Prisma.InputJsonValue } });
    await expect(publishFlow(db.prisma, workspace.id, a.flow.id, "user_1")).rejects.toMatchObject({
      details: {
        issues: [
          {
            nodeId: "toC",
            message: `Node "toC" calls flow "${c.flow.name}", which leads back to this flow: ${a.flow.name} → ${c.flow.name} → ${b.flow.name} → ${a.flow.name}. Flows must not call each other in a cycle`,
          },
        ],
      },
    });
    // Calling B (which calls A) without the way back through C is fine for another flow.
    const d = await seedPublishedFlow(db.prisma, workspace.id, doubler);
    await db.prisma.flow.update({ where: { id: d.flow.id }, data: { draftGraph: { nodes: [triggerNode(), node("toB", "call_flow", { flowId: b.flow.id, wait: true })], edges: [edge("trigger", "toB")] } as unknown as Prisma.InputJsonValue } });
    await expect(publishFlow(db.prisma, workspace.id, d.flow.id, "user_1")).resolves.toMatchObject({ version: { version: 2 } });
  });

  it(`stops runaway recursion at ${MAX_CALL_DEPTH} calls deep with a clear error`, async () => {
    const workspace = await seedWorkspace(db.prisma);
    // A flow that calls itself, stored without publish's cycle check (as an old or hand-edited version could be).
    const loop = await seedPublishedFlow(db.prisma, workspace.id, doubler);
    const graph = { nodes: [triggerNode(), node("again", "call_flow", { flowId: loop.flow.id, wait: true })], edges: [edge("trigger", "again")] };
    await db.prisma.flowVersion.update({ where: { id: loop.version.id }, data: { graph: graph as unknown as Prisma.InputJsonValue } });
    const top = await run(workspace.id, loop.flow.id, {});
    expect(top.status).toBe("failed");
    const runs = await db.prisma.run.findMany({ where: { flowId: loop.flow.id }, orderBy: { callDepth: "asc" } });
    expect(runs.map((r) => [r.callDepth, r.status])).toEqual(Array.from({ length: MAX_CALL_DEPTH + 1 }, (_, depth) => [depth, "failed"]));
    expect(runs.at(-1)!.error).toMatchObject({ code: "call_depth_exceeded", message: `Node "again" failed: Flows may call flows at most ${MAX_CALL_DEPTH} levels deep, and this run is already ${MAX_CALL_DEPTH} calls down: check for flows that call each other` });
    expect(String((top.error as { message: string }).message)).toContain(`at most ${MAX_CALL_DEPTH} levels deep`);
  });
});
