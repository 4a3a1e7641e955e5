// The code node: its runner (output, console lines, errors with positions), the syntax check at
// publish, and a published flow with a code step through the embedded engine into the run log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { createRunWorkflow } from "@/inngest/functions/run-workflow";
import { closeCodeSandbox } from "@/lib/code-sandbox/run-code";
import { setProcessDatabase } from "@/lib/db";
import { createFlow } from "@/lib/flows/manage-flows";
import { publishFlow } from "@/lib/flows/publish-flow";
import { NodeAttemptError } from "@/lib/runs/execute-node";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase, type TestDatabase } from "@/tests/helpers/databases";
import { until } from "@/tests/helpers/until";
import { startHarness, type Harness as EngineHarness } from "../engine/harness";
import { edge, node, seedPublishedFlow, seedWorkspace, triggerNode } from "../helpers/flows-and-receivers";
import { createHarness, type Harness } from "./node-harness";

const ORDER = { id: "ord_7", items: [{ sku: "TEE", qty: 2, price: 20 }, { sku: "MUG", qty: 1, price: 12.5 }] };

const PRICE_ORDER = `const subtotal = trigger.body.items.reduce((sum, item) => sum + item.qty * item.price, 0);
console.log("order", trigger.body.id, "has", trigger.body.items.length, "items");
return { orderId: trigger.body.id, subtotal, customer: steps.lookup.email, runId: run.id };`;

afterAll(() => closeCodeSandbox());

describeEachDatabase("code node", (getDb) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createHarness(getDb());
  });

  describe("runner", () => {
    it("outputs what the code returns, from trigger, steps and run, and keeps its console lines", async () => {
      const result = await harness.run("code", { source: PRICE_ORDER }, { body: ORDER, steps: { lookup: { email: "ada@example.com" } } });
      expect(result).toMatchObject({
        type: "done",
        output: { orderId: "ord_7", subtotal: 52.5, customer: "ada@example.com", runId: "run_test" },
        ports: ["out"],
        logs: [{ level: "log", message: "order ord_7 has 2 items" }],
      });
    });

    it("fails without retry, with the line and column of the error and the lines printed before it", async () => {
      const source = 'console.warn("looking up the customer");\nreturn trigger.body.customer.email.toLowerCase();';
      const error = (await harness.run("code", { source }, { body: ORDER }).catch((thrown: unknown) => thrown)) as NodeAttemptError;
      expect(error).toBeInstanceOf(NodeAttemptError);
      expect(error.message).toBe("TypeError: cannot read property 'email' of undefined (line 2, column 29)");
      expect(error.retryable).toBe(false);
      expect(error.logs).toEqual([{ level: "warn", message: "looking up the customer" }]);
    });

    it("sees the current item and its index inside a for_each item branch, null outside", async () => {
      const source = "return { item, itemIndex };";
      expect(await harness.run("code", { source }, { body: ORDER, item: { index: 1, value: { sku: "MUG", qty: 1 } } })).toMatchObject({ output: { item: { sku: "MUG", qty: 1 }, itemIndex: 1 } });
      expect(await harness.run("code", { source }, { body: ORDER })).toMatchObject({ output: { item: null, itemIndex: null } });
    });

    it("takes the source as written: {{ … }} in code is JavaScript, not an expression", async () => {
      const result = await harness.run("code", { source: 'const braces = "{{ trigger.body.id }}";\nreturn braces;' }, { body: ORDER });
      expect(result).toMatchObject({ type: "done", output: "{{ trigger.body.id }}" });
    });
  });

  describe("publish", () => {
    async function draftWithCode(source: string) {
      const { prisma } = getDb();
      const workspace = await seedWorkspace(prisma);
      const user = await prisma.user.create({ data: { id: `u-${workspace.id}`, name: "Ada", email: `ada-${workspace.id}@example.com` } });
      const graph = { nodes: [triggerNode("hook"), node("price", "code", { source })], edges: [edge("hook", "price")] };
      const flow = await createFlow(prisma, workspace.id, user.id, { name: "Price orders", description: "", graph });
      return { workspaceId: workspace.id, userId: user.id, flowId: flow.id };
    }

    it("refuses code that does not compile, naming the node, the field and the position", async () => {
      const { workspaceId, userId, flowId } = await draftWithCode("const total = 1;\nreturn { total: total + };");
      const error = await publishFlow(getDb().prisma, workspaceId, flowId, userId).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({
        code: "unprocessable",
        details: { issues: [{ nodeId: "price", field: "source", message: expect.stringMatching(/^Node "price": source: SyntaxError: .* \(line 2, column 25\)$/) }] },
      });
      expect(await getDb().prisma.flowVersion.count({ where: { flowId } })).toBe(0);
    });

    it("publishes code that compiles, without running it", async () => {
      const { workspaceId, userId, flowId } = await draftWithCode("while (true) {}");
      const { version } = await publishFlow(getDb().prisma, workspaceId, flowId, userId);
      expect(version.version).toBe(1);
    });
  });

  describe("through the engine", () => {
    let db: TestDatabase;
    let engine: EngineHarness;
    beforeAll(async () => {
      db = getDb();
      setProcessDatabase(db);
      engine = await startHarness({ db, appId: "switchyard", functions: (client) => [createRunWorkflow(client)], timeScale: 0.001 });
    });
    afterAll(async () => {
      await engine?.close();
      setProcessDatabase(undefined);
    });

    async function runToEnd(source: string) {
      const workspace = await seedWorkspace(db.prisma);
      const graph = {
        nodes: [triggerNode("hook"), node("lookup", "transform", { fields: [{ path: "email", value: "ada@example.com" }] }), node("price", "code", { source })],
        edges: [edge("hook", "lookup"), edge("lookup", "price")],
      };
      const { flow } = await seedPublishedFlow(db.prisma, workspace.id, graph);
      const { runId } = await startRun(db.prisma, { workspaceId: workspace.id, flowId: flow.id, source: { type: "version" }, trigger: ORDER });
      const outbox = await db.prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: runId } });
      await engine.client.send({ id: outbox.eventId, name: RUN_REQUESTED, data: outbox.data as unknown as RunRequestedData });
      return until(
        async () => {
          const run = await db.prisma.run.findUniqueOrThrow({ where: { id: runId }, include: { steps: true } });
          return ["succeeded", "failed"].includes(run.status) ? run : null;
        },
        `run ${runId} to finish`,
        30_000,
        50,
      );
    }

    it("stores the code's output and console lines on its step", async () => {
      const run = await runToEnd(PRICE_ORDER);
      expect(run.status).toBe("succeeded");
      const step = run.steps.find((candidate) => candidate.nodeId === "price");
      expect(step).toMatchObject({ status: "succeeded", output: { orderId: "ord_7", subtotal: 52.5, customer: "ada@example.com", runId: run.id }, logs: [{ level: "log", message: "order ord_7 has 2 items" }] });
    });

    it("fails the run on a runaway loop with a clear message, keeping what it printed", async () => {
      const run = await runToEnd('console.log("starting");\nwhile (true) {}');
      expect(run.status).toBe("failed");
      const step = run.steps.find((candidate) => candidate.nodeId === "price");
      expect(step).toMatchObject({ status: "failed", attempt: 1, error: { message: "The code ran past its time limit and was stopped" } });
      // The thread is ended at the hard stop, and its lines with it, unless QuickJS stopped the code itself.
      expect([null, [{ level: "log", message: "starting" }]]).toContainEqual(step?.logs);
    }, 30_000);
  });
});
