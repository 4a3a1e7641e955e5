// Server-only: waits (step.waitForEvent) for a switchyard/flow.event with the same name and key.
import { celString, FLOW_EVENT } from "@/lib/runs/run-events";
import { NodeError, type NodeRunner } from "../node-runner";
import { durationToMs, MAX_PAUSE_MS } from "../shared/duration";
import type { WaitForEventConfig } from "./definition";

export const waitForEventRunner: NodeRunner<WaitForEventConfig> = {
  async run(ctx) {
    const key = ctx.config.correlationKey as unknown;
    if (key === undefined || key === null || key === "") throw new NodeError("The correlation key resolved to nothing; check its expression", { retryable: false });
    const correlationKey = typeof key === "string" ? key : JSON.stringify(key);
    const timeoutMs = Math.min(durationToMs(ctx.config.timeout), MAX_PAUSE_MS);
    const match = [
      `async.data.workspaceId == ${celString(ctx.run.workspaceId)}`,
      `async.data.name == ${celString(ctx.config.eventName)}`,
      `async.data.correlationKey == ${celString(correlationKey)}`,
    ].join(" && ");
    return { pause: "wait_for_event", event: FLOW_EVENT, match, timeoutMs, output: { eventName: ctx.config.eventName, correlationKey } };
  },
  async resume(ctx, event) {
    if (event) return { output: { received: true, payload: (event.data as { payload?: unknown }).payload ?? null }, ports: ["out"] };
    if (ctx.config.onTimeout === "fail") throw new NodeError(`No ${ctx.config.eventName} event arrived before the timeout`, { retryable: false, code: "timeout" });
    return { output: { received: false, payload: null }, ports: ["timeout"] };
  },
};
