// Server-only: the filter node passes the run on, or stops this path (no active output).
import type { NodeRunner } from "../node-runner";
import { runRules } from "../shared/run-rules";
import type { FilterConfig } from "./definition";

export const filterRunner: NodeRunner<FilterConfig> = {
  async run(ctx) {
    const { matched, results } = runRules(ctx.config);
    return { output: { passed: matched, rules: results }, ports: matched ? ["out"] : [] };
  },
};
