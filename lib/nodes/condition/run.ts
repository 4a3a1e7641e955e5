// Server-only: the if/else node activates exactly one of its two outputs.
import type { NodeRunner } from "../node-runner";
import { runRules } from "../shared/run-rules";
import type { ConditionConfig } from "./definition";

export const conditionRunner: NodeRunner<ConditionConfig> = {
  async run(ctx) {
    const { matched, results } = runRules(ctx.config);
    return { output: { result: matched, rules: results }, ports: [matched ? "true" : "false"] };
  },
};
