// The code sandbox: user JavaScript in QuickJS (WebAssembly) worker threads, with the variables
// a code step sees, console lines, positions in errors, and caps that fail one call and leave the
// sandbox serving the next.
import { afterAll, describe, expect, it } from "vitest";
import type { CodeResult } from "@/lib/code-sandbox/code-result";
import { CONSOLE_LIMITS } from "@/lib/code-sandbox/limits";
import { checkCodeSyntax, closeCodeSandbox, runCode, warmCodeSandbox } from "@/lib/code-sandbox/run-code";

const variables = {
  trigger: { body: { order: { id: "ord_1042", items: [{ sku: "TEE-M", qty: 2, price: 19.5 }, { sku: "MUG", qty: 1, price: 12 }] } }, headers: { "content-type": "application/json" } },
  steps: { lookup: { customer: { email: "ada@example.com", tier: "gold" } } },
  run: { id: "run_1", flowId: "flow_1", attempt: 1 },
};

afterAll(() => closeCodeSandbox());

function expectOk(result: CodeResult) {
  if (!result.ok) throw new Error(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result;
}

function expectError(result: CodeResult) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.output)}`);
  return result.error;
}

/** The sandbox still works after a failure: fresh state, correct answer. */
async function expectHealthy() {
  const result = expectOk(await runCode("return typeof leaked === 'undefined' ? trigger.n * 2 : 'state leaked'", { trigger: { n: 21 } }));
  expect(result.output).toBe(42);
}

describe("runCode: what the code sees and returns", () => {
  it("returns the value of `return`, computed from trigger, steps and run", async () => {
    const source = `
      const total = trigger.body.order.items.reduce((sum, item) => sum + item.qty * item.price, 0);
      return { orderId: trigger.body.order.id, total, email: steps.lookup.customer.email, runId: run.id, attempt: run.attempt };
    `;
    const result = expectOk(await runCode(source, variables));
    expect(result.output).toEqual({ orderId: "ord_1042", total: 51, email: "ada@example.com", runId: "run_1", attempt: 1 });
  });

  it("supports await on promises made inside the sandbox, and ES2023 built-ins", async () => {
    const source = `
      const double = async (n) => n * 2;
      const values = await Promise.all([double(1), double(2)]);
      return { values, last: [3, 1, 2].toSorted().at(-1), found: [1, 2, 3].findLast((n) => n < 3) };
    `;
    expect(expectOk(await runCode(source, variables)).output).toEqual({ values: [2, 4], last: 3, found: 2 });
  });

  it("gives null for no return, and applies JSON's rules (toJSON, undefined members dropped)", async () => {
    expect(expectOk(await runCode("const x = 1;", variables)).output).toBeNull();
    const result = expectOk(await runCode("return { at: new Date(0), gone: undefined, list: [undefined, 1] }", variables));
    expect(result.output).toEqual({ at: "1970-01-01T00:00:00.000Z", list: [null, 1] });
  });

  it("works on a copy of the variables: changing them inside does not change the caller's data", async () => {
    const input = { trigger: { body: { n: 1 } } };
    expectOk(await runCode("trigger.body.n = 99; return trigger.body.n", input));
    expect(input.trigger.body.n).toBe(1);
  });

  it("keeps console lines with their level, objects as JSON", async () => {
    const source = `
      console.log("order", trigger.body.order.id, { items: trigger.body.order.items.length });
      console.info("info line");
      console.warn("careful");
      console.error(new TypeError("bad input"));
      const cyclic = {}; cyclic.self = cyclic;
      console.log(cyclic, undefined, 10n);
      return 1;
    `;
    expect(expectOk(await runCode(source, variables)).logs).toEqual([
      { level: "log", message: 'order ord_1042 {"items":2}' },
      { level: "info", message: "info line" },
      { level: "warn", message: "careful" },
      { level: "error", message: '"TypeError: bad input"' },
      { level: "log", message: '{"self":"[Circular]"} "undefined" "10n"' },
    ]);
  });

  it("keeps console lines when the code fails afterwards, and caps how many", async () => {
    const failed = await runCode("console.log('before'); throw new Error('after')", variables);
    expect(failed.logs).toEqual([{ level: "log", message: "before" }]);

    const flood = expectOk(await runCode("for (let i = 0; i < 1000; i++) console.log('line ' + i); return 'done'", variables));
    expect(flood.logs).toHaveLength(CONSOLE_LIMITS.lines + 1);
    expect(flood.logs[0]).toEqual({ level: "log", message: "line 0" });
    expect(flood.logs.at(-1)).toEqual({ level: "warn", message: expect.stringMatching(/^900 more console line\(s\) not kept/) });
  });
});

describe("runCode: errors with positions in the user's source", () => {
  it("reports a syntax error with its line and column", async () => {
    const error = expectError(await runCode("const a = 1;\nconst b = (a +;\nreturn b;", variables));
    expect(error).toMatchObject({ kind: "syntax", line: 2, column: 15 });
    expect(error.message).toMatch(/^SyntaxError: .* \(line 2, column 15\)$/);
  });

  it("points an unclosed block at the end of the source", async () => {
    expect(expectError(await runCode("if (trigger) {\n  return 1;", variables))).toMatchObject({ kind: "syntax", line: 2, column: 12 });
  });

  it("reports a runtime error with the line and column where it was thrown", async () => {
    const source = "const items = trigger.body.order.items;\nfunction price(item) {\n  return item.details.price;\n}\nreturn items.map(price);";
    const error = expectError(await runCode(source, variables));
    expect(error).toEqual({ kind: "runtime", message: "TypeError: cannot read property 'price' of undefined (line 3, column 22)", line: 3, column: 22 });
  });

  it("reports a thrown Error, a rejected await and a thrown string", async () => {
    expect(expectError(await runCode("\n\nthrow new Error('Order has no items');", variables))).toMatchObject({ message: "Error: Order has no items (line 3, column 16)", line: 3 });
    expect(expectError(await runCode("await Promise.reject(new RangeError('nope'));", variables))).toMatchObject({ kind: "runtime", message: expect.stringMatching(/^RangeError: nope/) });
    expect(expectError(await runCode("throw 'plain text'", variables))).toEqual({ kind: "runtime", message: 'Uncaught "plain text"' });
  });

  it("fails code that awaits something that can never settle", async () => {
    expect(expectError(await runCode("await new Promise(() => {}); return 1;", variables))).toMatchObject({ kind: "runtime", message: expect.stringMatching(/never settles/) });
  });
});

describe("runCode: results that are not JSON", () => {
  it.each([
    ["a function", "return { format() {} }", "The returned value at format is a function, which JSON cannot hold"],
    ["a cycle", "const order = { id: 1 }; order.self = order; return { order }", "The returned value at order.self refers to itself (a cycle), which JSON cannot hold"],
    ["a BigInt", "return { total: 10n }", "The returned value at total is a BigInt; convert it with String() or Number()"],
    ["a symbol", "return [Symbol('x')]", "The returned value at [0] is a symbol, which JSON cannot hold"],
    ["a Map", "return new Map([['a', 1]])", "The returned value is a Map; convert it with Object.fromEntries(map)"],
    ["NaN", "return { avg: 0 / 0 }", "The returned value at avg is NaN, which JSON cannot hold"],
  ])("refuses %s with a message naming where it is", async (_, source, message) => {
    expect(expectError(await runCode(source, variables))).toEqual({ kind: "output", message });
  });
});

describe("runCode: no access to the host", () => {
  it("has no timers, network, modules, process or host objects", async () => {
    const source = `return {
      setTimeout: typeof setTimeout, setInterval: typeof setInterval, fetch: typeof fetch, XMLHttpRequest: typeof XMLHttpRequest,
      require: typeof require, process: typeof process, module: typeof module, std: typeof std, os: typeof os, Buffer: typeof Buffer,
      WebAssembly: typeof WebAssembly, emit: typeof emit,
      globals: Object.getOwnPropertyNames(globalThis).filter((name) => !/^[A-Z]/.test(name)).sort(),
    }`;
    const output = expectOk(await runCode(source, variables)).output as Record<string, unknown>;
    for (const name of ["setTimeout", "setInterval", "fetch", "XMLHttpRequest", "require", "process", "module", "std", "os", "Buffer", "WebAssembly", "emit"]) {
      expect(output[name], name).toBe("undefined");
    }
    // Lower-case globals are the language's own functions plus console: nothing of the host's.
    expect(output.globals).toEqual(
      ["console", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "eval", "globalThis", "isFinite", "isNaN", "parseFloat", "parseInt", "undefined", "unescape"].sort(),
    );
  });

  it("cannot reach the host through dynamic import or the Function constructor", async () => {
    expect(expectError(await runCode("return await import('node:fs')", variables)).message).toMatch(/module|import/i);
    expect(expectOk(await runCode("return Function('return typeof process')()", variables)).output).toBe("undefined");
  });

  it("starts every execution in a fresh context", async () => {
    expectOk(await runCode("globalThis.leaked = 1; Object.prototype.polluted = true; return 1", variables));
    expect(expectOk(await runCode("return [typeof leaked, ({}).polluted ?? null]", variables)).output).toEqual(["undefined", null]);
  });
});

describe("runCode: caps fail the one call and leave the sandbox healthy", () => {
  it("stops an infinite loop at its time cap", async () => {
    const started = Date.now();
    const error = expectError(await runCode("while (true) {}", variables, { timeoutMs: 300 }));
    expect(error).toEqual({ kind: "timeout", message: "The code ran past its time limit and was stopped" });
    expect(Date.now() - started).toBeLessThan(3_000);
    await expectHealthy();
  });

  it("stops a loop of slow built-ins that QuickJS's own deadline check would miss for minutes", async () => {
    // Each 'x'.repeat(1e7) is one operation to QuickJS's interrupt counter: only the host's timer ends it in time.
    const started = Date.now();
    const error = expectError(await runCode("while (true) 'x'.repeat(1e7);", variables, { timeoutMs: 300 }));
    expect(error.kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
    await expectHealthy();
  });

  it("stops an allocation bomb at its memory cap", async () => {
    const error = expectError(await runCode("const rows = []; while (true) rows.push({ n: rows.length, label: 'row ' + rows.length });", variables, { memoryBytes: 16 * 1024 * 1024 }));
    expect(error).toEqual({ kind: "memory", message: "The code used more memory than a code step may and was stopped" });
    expect(expectError(await runCode("return new Array(1e8).fill(0).length", variables)).kind).toBe("memory");
    await expectHealthy();
  });

  it("stops runaway recursion with a stack overflow, and still allows ordinary recursion", async () => {
    const error = expectError(await runCode("function walk(n) { return walk(n + 1) + 1; }\nreturn walk(0);", variables));
    expect(error.kind).toBe("stack");
    expect(error.message).toMatch(/^Maximum call stack size exceeded/);
    expect(expectOk(await runCode("const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)); const depth = (n) => (n === 0 ? 0 : 1 + depth(n - 1)); return [fib(20), depth(1000)]", variables)).output).toEqual([6765, 1000]);
    await expectHealthy();
  });

  it("keeps serving after QuickJS itself fails: the thread it failed in is replaced", async () => {
    // A parser stack overflow inside eval makes QuickJS abort (an assertion in WebAssembly) while freeing the runtime.
    const error = expectError(await runCode("return eval('('.repeat(100000) + '1' + ')'.repeat(100000));", variables));
    expect(error.kind).toBe("stack");
    await expectHealthy();
    await expectHealthy();
    const check = await checkCodeSyntax(`return ${"(".repeat(100_000)}1${")".repeat(100_000)};`, []);
    expect(check).toEqual({ ok: false, error: { kind: "stack", message: "The code is nested too deeply to compile" } });
    await expectHealthy();
  });

  it("answers other calls while one runs away", async () => {
    await warmCodeSandbox(); // both threads up (earlier tests ended some)
    const runaway = runCode("while (true) {}", variables, { timeoutMs: 1_500 });
    const started = Date.now();
    expect(expectOk(await runCode("return 'quick'", variables)).output).toBe("quick");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(expectError(await runaway).kind).toBe("timeout");
  });
});

describe("checkCodeSyntax", () => {
  it("accepts code that compiles without running it, and reports the position of a syntax error", async () => {
    expect(await checkCodeSyntax("while (true) {}\nreturn trigger.body;", ["trigger", "steps", "run"])).toEqual({ ok: true });
    expect(await checkCodeSyntax("return trigger.body.;", ["trigger"])).toEqual({
      ok: false,
      error: { kind: "syntax", message: expect.stringMatching(/^SyntaxError: .* \(line 1, column 21\)$/), line: 1, column: 21 },
    });
  });

  it("refuses variable names that are not identifiers", () => {
    expect(() => runCode("return 1", { "not valid": 1 })).toThrow('Code variable name "not valid" is not a JavaScript identifier');
  });
});
