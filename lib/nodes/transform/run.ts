// Server-only: the transform node. Field values were resolved by the interpreter; the
// expression mode evaluates raw JSONata (no braces) against the context here.
import { evaluateExpression } from "@/lib/expressions/evaluate-expression";
import { missingPathWarnings } from "@/lib/expressions/missing-path";
import { setAtPath } from "@/lib/expressions/safe-object";
import { NodeError, type NodeRunner } from "../node-runner";
import type { TransformConfig } from "./definition";

export const transformRunner: NodeRunner<TransformConfig> = {
  async run(ctx) {
    if (ctx.config.mode === "expression") {
      const output = await evaluateExpression(ctx.config.expression, ctx.expressionContext, { nodeId: ctx.node.id, field: "expression" });
      if (output === undefined) ctx.warnings.push(...missingPathWarnings(ctx.config.expression, ctx.expressionContext, "expression"));
      return { output: output ?? null };
    }
    const output: Record<string, unknown> = {};
    for (const field of ctx.config.fields) {
      try {
        setAtPath(output, field.path, field.value);
      } catch (error) {
        throw new NodeError((error as Error).message, { retryable: false });
      }
    }
    return { output };
  },
};
