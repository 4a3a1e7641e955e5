// Server-only: evaluates a resolved rule group and turns regex/other errors into NodeErrors.
import { NodeError } from "../node-runner";
import { evaluateRuleGroup, type ResolvedRule, type RuleOutcome } from "./rules";

export function runRules(group: { combinator: "and" | "or"; rules: unknown[] }): RuleOutcome {
  try {
    return evaluateRuleGroup({ combinator: group.combinator, rules: group.rules as ResolvedRule[] });
  } catch (error) {
    throw new NodeError(`Rule could not be evaluated: ${(error as Error).message}`, { retryable: false });
  }
}
