// Evaluates one JSONata expression against the run context, with time, depth and size limits.
// User regexes run on a linear-time engine and strings an expression builds are capped, so no
// single step of an evaluation can hold the event loop far beyond the time limit.
import jsonata from "jsonata";
import type { ExpressionContext } from "./expression-context";
import { ExpressionError } from "./expression-error";
import { linearRegexEngine, RegexUnsupportedError } from "./linear-regex";
import { join, jsonSizeAtMost, MAX_EXPRESSION_BUILT_CHARACTERS, MAX_EXPRESSION_STRING_LENGTH, pad, StringBudget, StringLimitError } from "./string-limits";

export interface ExpressionLimits {
  /** Wall-clock budget per expression. */
  timeoutMs: number;
  /** Maximum evaluation depth (runaway recursion). */
  maxDepth: number;
  /** Maximum length of any sequence an expression builds. */
  maxSequence: number;
  /** Longest string an expression may build, in characters (default MAX_EXPRESSION_STRING_LENGTH). */
  maxStringLength?: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  timeoutMs: 1000,
  maxDepth: 200,
  maxSequence: 100_000,
  maxStringLength: MAX_EXPRESSION_STRING_LENGTH,
};

export interface ExpressionLocation {
  nodeId?: string;
  field?: string;
}

// Compiled expressions are reused; flows evaluate the same few expressions on every run.
const compiled = new Map<string, jsonata.Expression>();
const MAX_CACHED = 1000;

// JSONata calls this after every evaluation step with its result (the hook its own timebox uses).
const EVALUATE_EXIT = Symbol.for("jsonata.__evaluate_exit");
// One string budget per evaluation, keyed by JSONata's per-evaluation environment.
const budgets = new WeakMap<object, StringBudget>();

interface JsonataNode {
  type: string;
  value?: unknown;
}

function budgetFor(environment: { base: object }, maxString: number): StringBudget {
  let budget = budgets.get(environment.base);
  if (!budget) {
    budget = new StringBudget(maxString, Math.max(maxString, MAX_EXPRESSION_BUILT_CHARACTERS));
    budgets.set(environment.base, budget);
  }
  return budget;
}

/** Steps whose string result is newly built (function calls and `&`), as opposed to read. */
function buildsString(node: JsonataNode): boolean {
  return node.type === "function" || node.type === "apply" || (node.type === "binary" && node.value === "&");
}

// JSONata's own $string, wrapped below with a size check before it serialises.
type Implementation = (this: unknown, ...args: unknown[]) => unknown;
let builtinString: Implementation | undefined;
async function loadBuiltins() {
  builtinString ??= ((await jsonata("$string").evaluate({})) as { implementation: Implementation }).implementation;
}

function compile(source: string, limits: ExpressionLimits, location: ExpressionLocation): jsonata.Expression {
  const maxString = limits.maxStringLength ?? MAX_EXPRESSION_STRING_LENGTH;
  const key = `${limits.timeoutMs}|${limits.maxDepth}|${limits.maxSequence}|${maxString}|${source}`;
  let expression = compiled.get(key);
  if (!expression) {
    try {
      expression = jsonata(source, {
        timeout: limits.timeoutMs,
        stack: limits.maxDepth,
        sequence: limits.maxSequence,
        RegexEngine: linearRegexEngine(limits.timeoutMs),
      } as unknown as jsonata.JsonataOptions);
    } catch (error) {
      throw new ExpressionError(`syntax error: ${describeJsonataError(error)}`, source, location);
    }
    const budgetOf = (focus: jsonata.Focus) => budgetFor(focus.environment as unknown as { base: object }, maxString);
    expression.registerFunction(
      "pad",
      function (this: jsonata.Focus, str: string | undefined, width: number, char?: string) {
        return pad(budgetOf(this), str, width, char);
      },
      "<s-ns?:s>",
    );
    expression.registerFunction(
      "join",
      function (this: jsonata.Focus, strs: string[] | undefined, separator?: string) {
        return join(budgetOf(this), strs, separator);
      },
      "<a<s>s?:s>",
    );
    const stringify = builtinString!;
    expression.registerFunction(
      "string",
      function (this: jsonata.Focus, value: unknown, prettify?: boolean) {
        if (value !== null && typeof value === "object") budgetOf(this).check(jsonSizeAtMost(value, maxString + 1));
        return stringify.call(this, value, prettify);
      },
      "<x-b?:s>",
    );
    expression.assign(EVALUATE_EXIT as unknown as string, (node: JsonataNode, _input: unknown, environment: { base: object }, result: unknown) => {
      if (typeof result !== "string") return;
      const budget = budgetFor(environment, maxString);
      if (buildsString(node)) budget.charge(result.length);
      else budget.check(result.length);
    });
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, expression);
  }
  return expression;
}

/** Checks an expression's syntax; returns the error message or null. */
export function checkExpressionSyntax(source: string): string | null {
  try {
    assertRegexesSupported(jsonata(source).ast());
    return null;
  } catch (error) {
    if (error instanceof RegexUnsupportedError) return error.message;
    return describeJsonataError(error);
  }
}

/** Regex literals RE2 cannot run are reported when the flow is checked, not first at run time. */
function assertRegexesSupported(node: unknown, seen = new Set<unknown>()): void {
  if (!node || typeof node !== "object" || seen.has(node)) return;
  seen.add(node);
  if ((node as JsonataNode).type === "regex" && (node as JsonataNode).value instanceof RegExp) {
    new (linearRegexEngine(0))((node as JsonataNode).value as RegExp);
    return;
  }
  for (const child of Object.values(node)) assertRegexesSupported(child, seen);
}

export async function evaluateExpression(
  source: string,
  context: ExpressionContext | Record<string, unknown>,
  location: ExpressionLocation = {},
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): Promise<unknown> {
  await loadBuiltins();
  const expression = compile(source, limits, location);
  let result: unknown;
  try {
    result = await expression.evaluate(context);
  } catch (error) {
    throw new ExpressionError(describeJsonataError(error), source, location);
  }
  return toPlainJson(result, source, location, limits.maxStringLength ?? MAX_EXPRESSION_STRING_LENGTH);
}

/** JSONata returns sequences and may return functions; callers get plain JSON values only. */
function toPlainJson(value: unknown, source: string, location: ExpressionLocation, maxString: number): unknown {
  if (value === undefined || typeof value === "function") return undefined;
  if (value === null || typeof value !== "object") return value;
  // Many references to one long string cost nothing in memory until they are serialised.
  const size = jsonSizeAtMost(value, MAX_EXPRESSION_BUILT_CHARACTERS);
  if (size > Math.max(maxString, MAX_EXPRESSION_BUILT_CHARACTERS)) {
    throw new ExpressionError(`returned a value of more than ${MAX_EXPRESSION_BUILT_CHARACTERS.toLocaleString("en")} characters of JSON`, source, location);
  }
  return JSON.parse(JSON.stringify(value));
}

function describeJsonataError(error: unknown): string {
  if (error instanceof StringLimitError) return error.message;
  if (error && typeof error === "object") {
    const { code, message, position, token } = error as { code?: string; message?: string; position?: number; token?: string };
    if (code === "D1012") return "took longer than the time limit (runaway expression?)";
    if (code === "D1011") return "exceeded the depth limit (runaway recursion?)";
    if (code === "D2015") return "built a sequence longer than the size limit";
    const detail = message ?? String(error);
    const where = typeof position === "number" ? ` (at character ${position}${token ? `, near "${token}"` : ""})` : "";
    return `${detail}${where}`;
  }
  return String(error);
}
