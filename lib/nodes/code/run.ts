// Server-only: the code node runs its source in the QuickJS sandbox (lib/code-sandbox) with the
// run's data; the returned value is its output and what it printed goes to the step's log.
import { checkCodeSyntax, runCode } from "@/lib/code-sandbox/run-code";
import { NodeError, type NodeRunner } from "../node-runner";
import { CODE_VARIABLES, type CodeConfig } from "./definition";

export const codeRunner: NodeRunner<CodeConfig> = {
  async run(ctx) {
    const { trigger, steps, run, item, itemIndex } = ctx.expressionContext;
    const result = await runCode(ctx.config.source, { trigger, steps, run, item: item ?? null, itemIndex: itemIndex ?? null });
    ctx.logs.push(...result.logs);
    // The same code on the same data fails the same way: no retry.
    if (!result.ok) throw new NodeError(result.error.message, { retryable: false, code: `code_${result.error.kind}` });
    return { output: result.output };
  },

  async checkAtPublish(config) {
    const check = await checkCodeSyntax(config.source, CODE_VARIABLES);
    return check.ok ? [] : [{ field: "source", message: check.error.message }];
  },
};
