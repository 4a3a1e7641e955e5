// Expressions cannot hold the process (issue 15, items 10 and 11): user regexes match in linear
// time (RE2), and strings an expression builds are capped at MAX_EXPRESSION_STRING_LENGTH.
import { describe, expect, it } from "vitest";
import type { ExpressionContext } from "@/lib/expressions/expression-context";
import { ExpressionError } from "@/lib/expressions/expression-error";
import { resolveTemplateString } from "@/lib/expressions/resolve-templates";
import { MAX_EXPRESSION_STRING_LENGTH } from "@/lib/expressions/string-limits";
import { createTestDatabase } from "@/tests/helpers/databases";
import { createHarness } from "../nodes/node-harness";

const context = (body: unknown): ExpressionContext => ({
  trigger: { body, headers: {}, query: {}, method: "POST", receivedAt: "2026-11-26T10:00:00.000Z" },
  steps: {},
  run: { id: "run_1", flowId: "flow_1", attempt: 1 },
});
const cap = MAX_EXPRESSION_STRING_LENGTH.toLocaleString("en");
const evaluate = (template: string, body: unknown = {}) => resolveTemplateString(template, context(body), { nodeId: "shape", field: "value" });

describe("regular expressions in expressions", () => {
  it("answers a catastrophic pattern without backtracking, within the expression's time limit", async () => {
    // Backtracking takes seconds on 26 a's and doubles with each one more; a step after it then hits the limit.
    const body = { s: `${"a".repeat(26)}!` };
    expect(await evaluate("{{ $count($match(trigger.body.s, /^(a+)+$/)) = 0 }}", body)).toBe(true);
    expect(await evaluate("{{ $contains(trigger.body.s & 'b', /^(a|aa)+b$/) }}", body)).toBe(false);
  });

  it("keeps JSONata's regex behaviour: groups, flags, replace and split", async () => {
    expect(await evaluate('{{ $match("abc-123 DEF-456", /([a-z]+)-(\\d+)/i) }}')).toEqual([
      { match: "abc-123", index: 0, groups: ["abc", "123"] },
      { match: "DEF-456", index: 8, groups: ["DEF", "456"] },
    ]);
    expect(await evaluate('{{ $replace("2026-11-27", /(\\d+)-(\\d+)-(\\d+)/, "$3.$2.$1") }}')).toBe("27.11.2026");
    expect(await evaluate('{{ $split("a1b22c", /\\d+/) }}')).toEqual(["a", "b", "c"]);
    expect(await evaluate('{{ $match("😀x😀y", /y/).index }}')).toBe(5);
  });

  it("fails with a clear message for patterns that need backtracking (backreferences, lookaround)", async () => {
    const error = await evaluate('{{ $match("aa", /(a)\\1/) }}').then(() => new Error("no error"), (e: Error) => e);
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error.message).toContain('in node "shape", field "value" failed: regular expression /(a)\\1/ cannot be used');
    expect(error.message).toContain("RE2, which has no backreferences or lookaround");
    await expect(evaluate('{{ $contains("ab", /a(?=b)/) }}')).rejects.toThrow(/cannot be used.*lookaround/);
  });
});

describe("strings an expression builds", () => {
  it(`refuses a string longer than ${cap} characters before building it`, async () => {
    for (const width of ["2e7", "1e8"]) {
      const error = await evaluate(`{{ $pad("x", ${width}) }}`).then(() => new Error("no error"), (e: Error) => e);
      expect(error).toBeInstanceOf(ExpressionError);
      expect(error.message).toContain(`expressions may build strings of at most ${cap} characters`);
    }
  });

  it("refuses strings grown by repeated concatenation and by joining", async () => {
    await expect(evaluate('{{ $reduce([1..30], function($acc, $i) { $acc & $acc }, "x") }}')).rejects.toThrow(`at most ${cap} characters`);
    await expect(evaluate(`{{ $join([1..3].$pad("", ${MAX_EXPRESSION_STRING_LENGTH / 2})) }}`)).rejects.toThrow(`at most ${cap} characters`);
    await expect(evaluate(`{{ $string([1..3].$$.trigger.body.big) }}`, { big: "y".repeat(MAX_EXPRESSION_STRING_LENGTH / 2) })).rejects.toThrow(`at most ${cap} characters`);
  });

  it("caps the characters one evaluation builds in total", async () => {
    await expect(evaluate(`{{ [1..20].$pad("x", ${MAX_EXPRESSION_STRING_LENGTH - 1}) }}`)).rejects.toThrow(/built more than [\d,]+ characters of strings in total/);
  });

  it("still pads, joins and serialises as JSONata does", async () => {
    expect(await evaluate('{{ $pad("7", -3, "0") & "|" & $pad("ab", 5, "xy") & "|" & $pad("😀", 3, "é😀") }}')).toBe("007|abxyx|😀é😀");
    expect(await evaluate('{{ $join(["a", "b", "c"], ", ") }}')).toBe("a, b, c");
    expect(await evaluate('{{ $string({"a": 1.5, "b": [true, null]}) }}')).toBe('{"a":1.5,"b":[true,null]}');
    // The largest body an endpoint accepts still fits in one string.
    const big = "y".repeat(MAX_EXPRESSION_STRING_LENGTH - 2);
    expect(((await evaluate("{{ $string(trigger.body.big) }}", { big })) as string).length).toBe(big.length);
  });
});

describe("a step whose expression hits a limit", () => {
  it("fails with the expression's message", async () => {
    const db = await createTestDatabase();
    try {
      const h = await createHarness(db);
      const error = await h.run("transform", { mode: "fields", fields: [{ path: "padded", value: '{{ $pad("x", 2e7) }}' }] }).then(() => new Error("no error"), (e: Error) => e);
      expect(error.message).toContain(`expressions may build strings of at most ${cap} characters`);
    } finally {
      await db.destroy();
    }
  });
});

describe("checking a flow's expressions", () => {
  it("reports a regex RE2 cannot run before the flow is published", async () => {
    const { checkExpressionSyntax } = await import("@/lib/expressions/evaluate-expression");
    expect(checkExpressionSyntax('$match(trigger.body.s, /(a)\\1/)')).toMatch(/regular expression \/\(a\)\\1\/ cannot be used/);
    expect(checkExpressionSyntax("$match(trigger.body.s, /^(a+)+$/)")).toBeNull();
  });
});
