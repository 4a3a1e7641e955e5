// Rules shared by condition, switch and filter: "left operator right", combined with AND/OR.
// Schemas are client-safe; evaluateRules runs on already-resolved values (expressions evaluated).
import { z } from "zod";

export const RULE_OPERATORS = [
  "equals",
  "not_equals",
  "contains",
  "not_contains",
  "starts_with",
  "ends_with",
  "greater_than",
  "greater_or_equal",
  "less_than",
  "less_or_equal",
  "exists",
  "not_exists",
  "is_empty",
  "is_not_empty",
  "is_true",
  "is_false",
  "matches_regex",
] as const;

export type RuleOperator = (typeof RULE_OPERATORS)[number];

/** Operators that look only at the left value. */
export const UNARY_OPERATORS: readonly RuleOperator[] = ["exists", "not_exists", "is_empty", "is_not_empty", "is_true", "is_false"];

export const OPERATOR_LABELS: Record<RuleOperator, string> = {
  equals: "equals",
  not_equals: "does not equal",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  ends_with: "ends with",
  greater_than: ">",
  greater_or_equal: "≥",
  less_than: "<",
  less_or_equal: "≤",
  exists: "exists",
  not_exists: "does not exist",
  is_empty: "is empty",
  is_not_empty: "is not empty",
  is_true: "is true",
  is_false: "is false",
  matches_regex: "matches regex",
};

export const ruleSchema = z.object({
  left: z.string().describe("Value to test, usually an expression such as {{ trigger.body.amount }}"),
  operator: z.enum(RULE_OPERATORS).default("equals").describe("Comparison"),
  right: z.string().default("").describe("Value to compare with (ignored by exists/empty/true/false)"),
  caseSensitive: z.boolean().default(true).describe("Compare text case-sensitively"),
});

export const ruleGroupShape = {
  combinator: z.enum(["and", "or"]).default("and").describe("Match when ALL rules hold (and) or ANY rule holds (or)"),
  rules: z.array(ruleSchema).min(1, "Add at least one rule").describe("Rules"),
};

export type Rule = z.infer<typeof ruleSchema>;
export interface RuleGroup {
  combinator: "and" | "or";
  rules: Rule[];
}

/** Rules after expression resolution: left/right can be any JSON value. */
export interface ResolvedRule {
  left: unknown;
  operator: RuleOperator;
  right: unknown;
  caseSensitive: boolean;
}

export interface RuleOutcome {
  matched: boolean;
  results: boolean[];
}

export function evaluateRuleGroup(group: { combinator: "and" | "or"; rules: ResolvedRule[] }): RuleOutcome {
  const results = group.rules.map(evaluateRule);
  const matched = group.combinator === "and" ? results.every(Boolean) : results.some(Boolean);
  return { matched, results };
}

export function evaluateRule(rule: ResolvedRule): boolean {
  const { left, right, operator } = rule;
  const text = (value: unknown) => {
    const s = value === undefined || value === null ? "" : typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
    return rule.caseSensitive ? s : s.toLowerCase();
  };
  switch (operator) {
    case "equals":
      return looselyEqual(left, right, rule.caseSensitive);
    case "not_equals":
      return !looselyEqual(left, right, rule.caseSensitive);
    case "contains":
      return Array.isArray(left) ? left.some((item) => looselyEqual(item, right, rule.caseSensitive)) : text(left).includes(text(right));
    case "not_contains":
      return Array.isArray(left) ? !left.some((item) => looselyEqual(item, right, rule.caseSensitive)) : !text(left).includes(text(right));
    case "starts_with":
      return text(left).startsWith(text(right));
    case "ends_with":
      return text(left).endsWith(text(right));
    case "greater_than":
    case "greater_or_equal":
    case "less_than":
    case "less_or_equal":
      return compareOrdered(left, right, operator);
    case "exists":
      return left !== undefined && left !== null;
    case "not_exists":
      return left === undefined || left === null;
    case "is_empty":
      return isEmpty(left);
    case "is_not_empty":
      return !isEmpty(left);
    case "is_true":
      return left === true || left === "true";
    case "is_false":
      return left === false || left === "false";
    case "matches_regex": {
      const source = String(right ?? "");
      if (source.length > 500) throw new Error("Regular expression is longer than 500 characters");
      return new RegExp(source, rule.caseSensitive ? "" : "i").test(text(left));
    }
  }
}

function looselyEqual(a: unknown, b: unknown, caseSensitive: boolean): boolean {
  if (typeof a === "number" || typeof b === "number") {
    const x = toNumber(a);
    const y = toNumber(b);
    if (x !== null && y !== null) return x === y;
  }
  if (typeof a === "boolean" || typeof b === "boolean") return String(a) === String(b);
  if (a && typeof a === "object") return JSON.stringify(a) === (typeof b === "string" ? b : JSON.stringify(b));
  const left = a === undefined || a === null ? "" : String(a);
  const right = b === undefined || b === null ? "" : String(b);
  return caseSensitive ? left === right : left.toLowerCase() === right.toLowerCase();
}

function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function compareOrdered(a: unknown, b: unknown, operator: "greater_than" | "greater_or_equal" | "less_than" | "less_or_equal"): boolean {
  const x = toNumber(a);
  const y = toNumber(b);
  // Numbers compare as numbers; ISO timestamps and other text compare as dates, then as text.
  let order: number;
  if (x !== null && y !== null) order = x - y;
  else {
    const dx = typeof a === "string" ? Date.parse(a) : NaN;
    const dy = typeof b === "string" ? Date.parse(b) : NaN;
    if (!Number.isNaN(dx) && !Number.isNaN(dy)) order = dx - dy;
    else if (a === undefined || a === null || b === undefined || b === null) return false;
    else order = String(a).localeCompare(String(b));
  }
  if (operator === "greater_than") return order > 0;
  if (operator === "greater_or_equal") return order >= 0;
  if (operator === "less_than") return order < 0;
  return order <= 0;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

// Rules that test whether a value is there: a missing path is what they look for.
const PRESENCE_OPERATORS: readonly RuleOperator[] = ["exists", "not_exists", "is_empty", "is_not_empty"];

/** The rule fields (under `prefix`) whose value may be missing on purpose. */
export function presenceTestedFields(group: RuleGroup, prefix = ""): string[] {
  return group.rules.flatMap((rule, index) => (PRESENCE_OPERATORS.includes(rule.operator) ? [`${prefix}rules[${index}].left`] : []));
}

export function summarizeRules(group: RuleGroup): string {
  const parts = group.rules.map((rule) =>
    UNARY_OPERATORS.includes(rule.operator) ? `${rule.left} ${OPERATOR_LABELS[rule.operator]}` : `${rule.left} ${OPERATOR_LABELS[rule.operator]} ${rule.right}`,
  );
  return parts.join(group.combinator === "and" ? " AND " : " OR ") || "No rules";
}
