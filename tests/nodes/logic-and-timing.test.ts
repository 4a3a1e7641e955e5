// Transform, condition, switch, filter, delay, wait-for-event, approval, respond and trigger nodes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAttemptError } from "@/lib/runs/execute-node";
import { APPROVAL_DECIDED, FLOW_EVENT } from "@/lib/runs/run-events";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/databases";
import { createHarness, type Harness } from "./node-harness";

describe("logic, timing and response nodes", () => {
  let db: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase();
    h = await createHarness(db);
  });
  afterAll(() => db.destroy());

  it("transform builds nested fields from expressions, keeping types", async () => {
    const result = await h.run(
      "transform",
      { fields: [{ path: "customer.email", value: "{{ $lowercase(trigger.body.email) }}" }, { path: "customer.vip", value: "{{ trigger.body.total > 100 }}" }, { path: "source", value: "form" }] },
      { body: { email: "Ada@Example.com", total: 250 } },
    );
    expect(result).toMatchObject({ type: "done", output: { customer: { email: "ada@example.com", vip: true }, source: "form" }, ports: ["out"] });
  });

  it("transform evaluates one JSONata expression over trigger and steps", async () => {
    const result = await h.run(
      "transform",
      { mode: "expression", expression: '{ "total": $sum(trigger.body.items.price), "crmId": steps.crm.body.id }' },
      { body: { items: [{ price: 5 }, { price: 7 }] }, steps: { crm: { body: { id: "L-1" } } } },
    );
    expect(result).toMatchObject({ output: { total: 12, crmId: "L-1" } });
  });

  it("transform refuses prototype paths", async () => {
    const error = (await h.run("transform", { fields: [{ path: "__proto__.polluted", value: "x" }] }).catch((e) => e)) as NodeAttemptError;
    expect(error.message).toBe('Node "node1" has invalid config: fields: Field path "__proto__.polluted" uses a reserved name');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("condition activates true or false, with AND/OR and typed comparisons", async () => {
    const config = {
      combinator: "and",
      rules: [
        { left: "{{ trigger.body.amount }}", operator: "greater_than", right: "100" },
        { left: "{{ trigger.body.email }}", operator: "matches_regex", right: "@acme\\.com$", caseSensitive: false },
      ],
    };
    expect(await h.run("condition", config, { body: { amount: 250, email: "BOB@ACME.COM" } })).toMatchObject({ output: { result: true, rules: [true, true] }, ports: ["true"] });
    expect(await h.run("condition", config, { body: { amount: 99, email: "bob@acme.com" } })).toMatchObject({ output: { result: false }, ports: ["false"] });
    const either = { ...config, combinator: "or" };
    expect(await h.run("condition", either, { body: { amount: 99, email: "bob@acme.com" } })).toMatchObject({ ports: ["true"] });
    // "10" > "9" as numbers even though both arrive as text.
    expect(await h.run("condition", { rules: [{ left: "{{ trigger.body.n }}", operator: "greater_than", right: "9" }] }, { body: { n: "10" } })).toMatchObject({ ports: ["true"] });
  });

  it("condition supports exists, contains on arrays, and equals", async () => {
    const run = (rules: unknown[], body: unknown) => h.run("condition", { rules }, { body });
    expect(await run([{ left: "{{ trigger.body.phone }}", operator: "exists" }], { phone: null })).toMatchObject({ ports: ["false"] });
    expect(await run([{ left: "{{ trigger.body.tags }}", operator: "contains", right: "vip" }], { tags: ["new", "vip"] })).toMatchObject({ ports: ["true"] });
    expect(await run([{ left: "{{ trigger.body.plan }}", operator: "equals", right: "Pro", caseSensitive: false }], { plan: "pro" })).toMatchObject({ ports: ["true"] });
  });

  it("switch routes to the first matching case or to default", async () => {
    const config = {
      cases: [
        { name: "refund", rules: [{ left: "{{ trigger.body.type }}", operator: "equals", right: "charge.refunded" }] },
        { name: "paid", rules: [{ left: "{{ trigger.body.type }}", operator: "starts_with", right: "charge." }] },
      ],
    };
    expect(await h.run("switch", config, { body: { type: "charge.refunded" } })).toMatchObject({ ports: ["refund"], output: { case: "refund" } });
    expect(await h.run("switch", config, { body: { type: "charge.succeeded" } })).toMatchObject({ ports: ["paid"] });
    expect(await h.run("switch", config, { body: { type: "invoice.created" } })).toMatchObject({ ports: ["default"] });
  });

  it("filter passes or stops the path", async () => {
    const config = { rules: [{ left: "{{ trigger.body.test }}", operator: "is_false" }] };
    expect(await h.run("filter", config, { body: { test: false } })).toMatchObject({ output: { passed: true }, ports: ["out"] });
    expect(await h.run("filter", config, { body: { test: true } })).toMatchObject({ output: { passed: false }, ports: [] });
  });

  it("delay pauses until now + duration, or until a timestamp expression", async () => {
    const before = Date.now();
    const result = await h.run("delay", { mode: "duration", duration: { amount: 2, unit: "hours" } });
    expect(result.type).toBe("pause");
    if (result.type !== "pause" || result.pause.pause !== "sleep") throw new Error("expected a sleep");
    expect(Date.parse(result.pause.until) - before).toBeGreaterThanOrEqual(7_200_000);
    const sendAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const until = await h.run("delay", { mode: "until", until: "{{ trigger.body.sendAt }}" }, { body: { sendAt } });
    expect(until).toMatchObject({ type: "pause", pause: { pause: "sleep", until: sendAt } });
    const tooFar = (await h.run("delay", { mode: "until", until: "2999-01-01T09:00:00Z" }).catch((e) => e)) as NodeAttemptError;
    expect(tooFar.message).toBe("Delays longer than one year are not supported");
    expect(await h.run("delay", { mode: "until", until: "2000-01-01T00:00:00Z" })).toMatchObject({ type: "done", output: { skippedBecausePast: true } });
    const bad = (await h.run("delay", { mode: "until", until: "{{ trigger.body.nope }}" }, { body: {} }).catch((e) => e)) as NodeAttemptError;
    expect(bad.message).toMatch(/is not a time/);
  });

  it("wait_for_event waits for a matching event and resumes through out or timeout", async () => {
    const config = { eventName: "order.shipped", correlationKey: "{{ trigger.body.orderId }}", timeout: { amount: 2, unit: "days" } };
    const result = await h.run("wait_for_event", config, { body: { orderId: "o-9" } });
    expect(result).toMatchObject({
      type: "pause",
      pause: { pause: "wait_for_event", event: FLOW_EVENT, timeoutMs: 172_800_000, match: `async.data.workspaceId == "${h.workspaceId}" && async.data.name == "order.shipped" && async.data.correlationKey == "o-9"` },
    });
    expect(await h.resume("wait_for_event", config, { data: { payload: { carrier: "DHL" } } }, {})).toMatchObject({ output: { received: true, payload: { carrier: "DHL" } }, ports: ["out"] });
    expect(await h.resume("wait_for_event", config, null, {})).toMatchObject({ output: { received: false }, ports: ["timeout"] });
    await expect(h.resume("wait_for_event", { ...config, onTimeout: "fail" }, null, {})).rejects.toThrow("No order.shipped event arrived before the timeout");
  });

  it("approval waits for a decision for this run and node; timeout takes the chosen outcome", async () => {
    const config = { message: "Refund {{ trigger.body.amount }}?", timeout: { amount: 1, unit: "hours" }, onTimeout: "reject" };
    const result = await h.run("approval", config, { body: { amount: 40 } });
    expect(result).toMatchObject({ type: "pause", pause: { event: APPROVAL_DECIDED, match: 'async.data.runId == "run_test" && async.data.nodeId == "node1"', output: { message: "Refund 40?" } } });
    const approved = await h.resume("approval", config, { data: { decision: "approve", decidedBy: "user_1", comment: "ok" } }, { message: "Refund 40?" });
    expect(approved).toMatchObject({ ports: ["approved"], output: { decision: "approve", decidedBy: "user_1", timedOut: false } });
    expect(await h.resume("approval", config, null, { message: "m" })).toMatchObject({ ports: ["rejected"], output: { timedOut: true } });
    expect(await h.resume("approval", { ...config, onTimeout: "approve" }, null, {})).toMatchObject({ ports: ["approved"] });
  });

  it("respond produces status, headers and body for synchronous endpoints", async () => {
    const result = await h.run("respond", { status: 201, headers: [{ name: "X-Order", value: "{{ trigger.body.id }}" }], body: { ok: true, id: "{{ trigger.body.id }}" } }, { body: { id: 7 } });
    expect(result).toMatchObject({ output: { status: 201, headers: { "content-type": "application/json", "x-order": "7" }, body: { ok: true, id: 7 } } });
  });

  it("triggers output the trigger payload", async () => {
    for (const kind of ["form_trigger", "payment_trigger", "content_trigger", "webhook_trigger"]) {
      expect(await h.run(kind, {}, { body: { a: 1 } })).toMatchObject({ type: "done", output: { body: { a: 1 }, method: "POST" }, ports: ["out"] });
    }
  });

  it("names node and field when an expression fails", async () => {
    const error = (await h.run("transform", { fields: [{ path: "x", value: "{{ $number('nope') }}" }] }, { nodeId: "shape" }).catch((e) => e)) as NodeAttemptError;
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^Expression \{\{ \$number\('nope'\) \}\} in node "shape", field "fields\[0\]\.value" failed/);
  });
});
