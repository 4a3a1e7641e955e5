// Evaluates one JSONata expression against the run context, with time, depth and size limits.
import jsonata from "jsonata";
import type { ExpressionContext } from "./expression-context";
import { ExpressionError } from "./expression-error";

export interface ExpressionLimits {
  /** Wall-clock budget per expression. */
  timeoutMs: number;
  /** Maximum evaluation depth (runaway recursion). */
  maxDepth: number;
  /** Maximum length of any sequence an expression builds. */
  maxSequence: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = { timeoutMs: 1000, maxDepth: 200, maxSequence: 100_000 };

export interface ExpressionLocation {
  nodeId?: string;
  field?: string;
}

// Compiled expressions are reused; flows evaluate the same few expressions on every run.
const compiled = new Map<string, jsonata.Expression>();
const MAX_CACHED = 1000;

function compile(source: string, limits: ExpressionLimits, location: ExpressionLocation): jsonata.Expression {
  const key = `${limits.timeoutMs}|${limits.maxDepth}|${limits.maxSequence}|${source}`;
  let expression = compiled.get(key);
  if (!expression) {
    try {
      expression = jsonata(source, { timeout: limits.timeoutMs, stack: limits.maxDepth, sequence: limits.maxSequence });
    } catch (error) {
      throw new ExpressionError(`syntax error: ${describeJsonataError(error)}`, source, location);
    }
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, expression);
  }
  return expression;
}

/** Checks an expression's syntax; returns the error message or null. */
export function checkExpressionSyntax(source: string): string | null {
  try {
    jsonata(source);
    return null;
  } catch (error) {
    return describeJsonataError(error);
  }
}

export async function evaluateExpression(
  source: string,
  context: ExpressionContext | Record<string, unknown>,
  location: ExpressionLocation = {},
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): Promise<unknown> {
  const expression = compile(source, limits, location);
  let result: unknown;
  try {
    result = await expression.evaluate(context);
  } catch (error) {
    throw new ExpressionError(describeJsonataError(error), source, location);
  }
  return toPlainJson(result);
}

/** JSONata returns sequences and may return functions; callers get plain JSON values only. */
function toPlainJson(value: unknown): unknown {
  if (value === undefined || typeof value === "function") return undefined;
  if (value === null || typeof value !== "object") return value;
  return JSON.parse(JSON.stringify(value));
}

function describeJsonataError(error: unknown): string {
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
