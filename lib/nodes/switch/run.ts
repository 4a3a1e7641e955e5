// Server-only: the switch node activates the first matching case (or the fallback).
import type { NodeRunner } from "../node-runner";
import { runRules } from "../shared/run-rules";
import { SWITCH_FALLBACK_PORT, type SwitchConfig } from "./definition";

export const switchRunner: NodeRunner<SwitchConfig> = {
  async run(ctx) {
    for (const item of ctx.config.cases) {
      if (runRules(item).matched) return { output: { case: item.name }, ports: [item.name] };
    }
    return { output: { case: ctx.config.fallback ? SWITCH_FALLBACK_PORT : null }, ports: ctx.config.fallback ? [SWITCH_FALLBACK_PORT] : [] };
  },
};
