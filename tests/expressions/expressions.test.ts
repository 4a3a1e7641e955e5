// {{ }} templates: typing, interpolation, no double evaluation, limits, errors, references.
import { describe, expect, it } from "vitest";
import { ExpressionError } from "@/lib/expressions/expression-error";
import type { ExpressionContext } from "@/lib/expressions/expression-context";
import { findReferences } from "@/lib/expressions/find-references";
import { parseTemplate } from "@/lib/expressions/parse-template";
import { resolveTemplates, resolveTemplateString } from "@/lib/expressions/resolve-templates";
import { setAtPath } from "@/lib/expressions/safe-object";
import { fieldSyntaxOf } from "@/lib/nodes/definitions";

const context = (body: unknown, steps: Record<string, unknown> = {}): ExpressionContext => ({
  trigger: { body, headers: { "x-source": "test" }, query: {}, method: "POST", receivedAt: "2026-11-26T10:00:00.000Z" },
  steps,
  run: { id: "run_1", flowId: "flow_1", attempt: 1 },
});

describe("expressions", () => {
  it("keeps the type of a whole-field expression", async () => {
    const ctx = context({ amount: 250, items: [{ sku: "a" }], customer: { name: "Ada" } });
    expect(await resolveTemplateString("{{ trigger.body.amount }}", ctx)).toBe(250);
    expect(await resolveTemplateString("  {{ trigger.body.customer }} ", ctx)).toEqual({ name: "Ada" });
    expect(await resolveTemplateString("{{ trigger.body.items }}", ctx)).toEqual([{ sku: "a" }]);
    expect(await resolveTemplateString("{{ trigger.body.amount > 100 }}", ctx)).toBe(true);
  });

  it("interpolates mixed strings, JSON-encoding objects and dropping missing values", async () => {
    const ctx = context({ amount: 250, customer: { name: "Ada" } });
    expect(await resolveTemplateString("Order of {{ trigger.body.amount }} by {{ trigger.body.customer.name }}", ctx)).toBe("Order of 250 by Ada");
    expect(await resolveTemplateString("c={{ trigger.body.customer }} m={{ trigger.body.missing }}", ctx)).toBe('c={"name":"Ada"} m=');
  });

  it("reads earlier steps and run facts", async () => {
    const ctx = context({}, { crm: { body: { id: 42 } } });
    expect(await resolveTemplateString("{{ steps.crm.body.id }}", ctx)).toBe(42);
    expect(await resolveTemplateString("{{ run.id }}/{{ run.attempt }}", ctx)).toBe("run_1/1");
  });

  it("never evaluates expressions that arrive inside payload data", async () => {
    const ctx = context({ comment: "{{$string(1+1)}}", nested: { x: "{{ run.id }}" } });
    expect(await resolveTemplateString("{{ trigger.body.comment }}", ctx)).toBe("{{$string(1+1)}}");
    expect(await resolveTemplateString("said: {{ trigger.body.comment }}", ctx)).toBe("said: {{$string(1+1)}}");
    expect(await resolveTemplates({ a: "{{ trigger.body.nested }}" }, ctx)).toEqual({ a: { x: "{{ run.id }}" } });
  });

  it("resolves nested config objects and arrays", async () => {
    const ctx = context({ email: "a@b.c" });
    const resolved = await resolveTemplates({ headers: [{ name: "X", value: "{{ trigger.headers.`x-source` }}" }], json: { to: "{{ trigger.body.email }}", n: 3 } }, ctx);
    expect(resolved).toEqual({ headers: [{ name: "X", value: "test" }], json: { to: "a@b.c", n: 3 } });
  });

  it("takes the kind's literal and JSONata fields as written (trigger notes, output field names, transform expressions)", async () => {
    const ctx = context({ email: "ada@example.com" });
    const config = { note: "Use {{ trigger.body.email in replies", fields: [{ path: "{{x}}", value: "{{ trigger.body.email }}" }], expression: "{{ 1 }}" };
    const asWritten = (field: string) => fieldSyntaxOf("transform", field) !== "template" || fieldSyntaxOf("webhook_trigger", field) !== "template";
    expect(await resolveTemplates(config, ctx, { asWritten })).toEqual({ ...config, fields: [{ path: "{{x}}", value: "ada@example.com" }] });
    expect(fieldSyntaxOf("transform", "fields.0.path")).toBe("literal");
    expect(fieldSyntaxOf("switch", "cases[2].name")).toBe("literal");
    expect(fieldSyntaxOf("http_request", "url")).toBe("template");
  });

  it("handles JSONata object constructors and strings containing braces", async () => {
    const ctx = context({ a: 1 });
    expect(await resolveTemplateString('{{ {"x": {"y": trigger.body.a}} }}', ctx)).toEqual({ x: { y: 1 } });
    expect(await resolveTemplateString('{{ "}}" & "!" }}', ctx)).toBe("}}!");
  });

  it("names node, field and expression in evaluation errors", async () => {
    const error = (await resolveTemplateString("{{ $number('abc') }}", context({}), { nodeId: "crm", field: "url" }).catch((e) => e)) as ExpressionError;
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toMatch(/^Expression \{\{ \$number\('abc'\) \}\} in node "crm", field "url" failed: /);
  });

  it("reports syntax errors and unclosed braces", async () => {
    await expect(resolveTemplateString("{{ trigger.body. }}", context({}), { nodeId: "n" })).rejects.toThrow(/syntax error/);
    expect(() => parseTemplate("Hello {{ trigger.body.name")).toThrow('Unclosed "{{" at position 6');
  });

  it("stops runaway recursion with the depth limit", async () => {
    // Not a tail call, so every level deepens the evaluation stack.
    const runaway = "{{ ($f := function($n) { 1 + $f($n + 1) }; $f(0)) }}";
    await expect(resolveTemplateString(runaway, context({}), { nodeId: "loop" })).rejects.toThrow(/exceeded the depth limit/);
  });

  it("stops long-running expressions with the time limit", async () => {
    const slow = "{{ $count([1..5000000]) }}";
    await expect(
      resolveTemplateString(slow, context({}), { nodeId: "slow", limits: { timeoutMs: 20, maxDepth: 200, maxSequence: 100_000 } }),
    ).rejects.toThrow(/time limit|size limit/);
  });

  it("leaves Object.prototype alone when payloads carry __proto__ keys", async () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    const config = JSON.parse('{"copy": "{{ trigger.body }}", "__proto__": "{{ trigger.body.__proto__ }}"}');
    const resolved = (await resolveTemplates(config, context(body))) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(resolved)).toBe(Object.prototype);
    expect(Object.keys(resolved)).toContain("__proto__");
    const target: Record<string, unknown> = {};
    expect(() => setAtPath(target, "__proto__.polluted", true)).toThrow('may not use the reserved key "__proto__"');
    expect(() => setAtPath(target, "a.constructor.prototype", true)).toThrow(/reserved key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("returns plain JSON from JSONata even when an expression builds __proto__ keys", async () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const merged = (await resolveTemplateString("{{ $merge([{}, trigger.body]) }}", context(body))) as Record<string, unknown>;
    const built = (await resolveTemplateString('{{ {"__proto__": {"polluted": true}} }}', context(body))) as Record<string, unknown>;
    for (const value of [merged, built]) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(value.polluted).toBeUndefined();
    }
    expect(merged.a).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("finds top-level references but not relative paths inside filters", () => {
    expect(findReferences("steps.crm.body[status = 'ok'].id & trigger.body.x")).toEqual([
      { root: "steps", nodeId: "crm", path: ["steps", "crm", "body"], guarded: false },
      { root: "trigger", nodeId: undefined, path: ["trigger", "body", "x"], guarded: false },
    ]);
    expect(findReferences("$uppercase(customer.name)")).toEqual([{ root: "customer", nodeId: undefined, path: ["customer", "name"], guarded: false }]);
    expect(findReferences("steps.`http-1`.status")).toEqual([{ root: "steps", nodeId: "http-1", path: ["steps", "http-1", "status"], guarded: false }]);
  });
});
