// Server-only: a trigger's step outputs the request that started the run.
import type { NodeRunner } from "../node-runner";

export const triggerRunner: NodeRunner = {
  async run(ctx) {
    return { output: ctx.expressionContext.trigger };
  },
};
