import { describe, expect, it } from "vitest";
import { checkTemplate, findMissingPaths, previewTemplate, type PreviewData, type TemplateScope } from "./inspect-template";

const scope: TemplateScope = {
  nodeIds: new Set(["hook", "crm", "later"]),
  upstream: new Set(["crm"]),
  nameOf: (id) => ({ crm: "Create CRM lead", later: "Send email" })[id] ?? id,
};

const data: PreviewData = {
  context: {
    trigger: { body: { email: "ada@example.com", amount: 120, items: [{ sku: "A1" }, { sku: "B2" }] }, headers: {}, query: {}, method: "POST", receivedAt: "2026-11-27T10:00:00.000Z" },
    steps: { crm: { status: 201, headers: {}, body: { id: "lead_42" } } },
    run: { id: "run_1", flowId: "flow_1", attempt: 1 },
  },
  hasSample: true,
  stepSource: { crm: "run" },
};

describe("checkTemplate", () => {
  it("reports an unclosed template and JSONata syntax errors", () => {
    expect(checkTemplate("Hi {{ trigger.body.name", "template", scope)).toEqual([{ severity: "error", message: 'Unclosed "{{" at position 3: add the matching "}}"' }]);
    const [problem] = checkTemplate("{{ trigger.body. }}", "template", scope);
    expect(problem.severity).toBe("error");
    expect(problem.message).toMatch(/^\{\{ trigger\.body\. \}\}: /);
    expect(checkTemplate("{ \"a\": ", "jsonata", scope)[0].message).toMatch(/^the expression: /);
  });

  it("reports names that are not expression roots, unknown steps and steps that run later", () => {
    expect(checkTemplate("{{ trigger.body.email }} {{ steps.crm.body.id }} {{ run.id }}", "template", scope)).toEqual([]);
    expect(checkTemplate("{{ triger.body.email }}", "template", scope)).toEqual([
      { severity: "error", message: 'Unknown name "triger" in {{ triger.body.email }}: expressions start with trigger, steps or run' },
    ]);
    expect(checkTemplate("{{ steps.nope.status }}", "template", scope)[0].message).toBe('steps.nope: there is no step with the id "nope"');
    expect(checkTemplate("{{ steps.later.messageId }}", "template", scope)[0].message).toBe('steps.later: "Send email" does not run before this step; connect it first');
    // Names inside filters are relative to the item, not roots.
    expect(checkTemplate("{{ trigger.body.items[sku = 'A1'].sku }}", "template", scope)).toEqual([]);
  });

  it("ignores plain text", () => {
    expect(checkTemplate("Hello there", "template", scope)).toEqual([]);
  });
});

describe("findMissingPaths", () => {
  it("flags trigger paths the sample lacks, naming what it has", () => {
    expect(findMissingPaths("{{ trigger.body.emial }}", "template", data, scope)).toEqual([
      { severity: "warning", message: "trigger.body.emial is not in the sample (it has: email, amount, items)" },
    ]);
    expect(findMissingPaths("{{ trigger.body.items.sku }} {{ trigger.body.items[0].sku }}", "template", data, scope)).toEqual([]);
    expect(findMissingPaths("{{ trigger.body.items.price }}", "template", data, scope)[0].message).toBe("trigger.body.items.price is not in the sample (it has: sku)");
  });

  it("leaves paths tested on purpose alone", () => {
    expect(findMissingPaths("{{ $exists(trigger.body.coupon) ? trigger.body.coupon.code : 'none' }}", "template", data, scope)).toEqual([]);
    expect(findMissingPaths("{{ trigger.body.nickname ?: trigger.body.email }}", "template", data, scope)).toEqual([]);
  });

  it("without a sample checks only the trigger's own keys", () => {
    const noSample = { ...data, hasSample: false };
    expect(findMissingPaths("{{ trigger.body.anything.at.all }}", "template", noSample, scope)).toEqual([]);
    expect(findMissingPaths("{{ trigger.bdy.email }}", "template", noSample, scope)[0].message).toBe("trigger.bdy is not in the trigger (it has: body, headers, query, method, receivedAt)");
  });

  it("checks step outputs fully after a test run, and only their fields against an example", () => {
    expect(findMissingPaths("{{ steps.crm.body.idx }}", "template", data, scope)[0].message).toBe('steps.crm.body.idx is not in the last test run of "Create CRM lead" (it has: id)');
    const example = { ...data, stepSource: { crm: "example" as const } };
    expect(findMissingPaths("{{ steps.crm.body.idx }}", "template", example, scope)).toEqual([]);
    expect(findMissingPaths("{{ steps.crm.bdy }}", "template", example, scope)[0].message).toBe('steps.crm.bdy is not in the output of "Create CRM lead" (it has: status, headers, body)');
  });
});

describe("previewTemplate", () => {
  it("keeps a single expression's type, interpolates text and resolves JSON bodies value by value", async () => {
    expect(await previewTemplate("{{ trigger.body.amount * 2 }}", "template", data.context)).toEqual({ ok: true, value: 240 });
    expect(await previewTemplate("New lead: {{ trigger.body.email }}", "template", data.context)).toEqual({ ok: true, value: "New lead: ada@example.com" });
    expect(await previewTemplate('{ "email": "{{ trigger.body.email }}", "lead": "{{ steps.crm.body.id }}" }', "template", data.context)).toEqual({
      ok: true,
      value: { email: "ada@example.com", lead: "lead_42" },
    });
    expect(await previewTemplate('{ "skus": trigger.body.items.sku }', "jsonata", data.context)).toEqual({ ok: true, value: { skus: ["A1", "B2"] } });
  });

  it("answers what a run would fail with", async () => {
    const result = await previewTemplate('{{ $number("abc") }}', "template", data.context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/abc/);
  });
});
