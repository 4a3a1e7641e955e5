// Server-only: the delay node asks the interpreter to sleep (step.sleepUntil) until a time.
import { NodeError, type NodeRunner } from "../node-runner";
import { durationToMs, MAX_PAUSE_MS } from "../shared/duration";
import type { DelayConfig } from "./definition";

export const delayRunner: NodeRunner<DelayConfig> = {
  async run(ctx) {
    const now = Date.now();
    let until: number;
    if (ctx.config.mode === "until") {
      const raw: unknown = ctx.config.until;
      until = typeof raw === "number" ? raw : Date.parse(String(raw));
      if (Number.isNaN(until)) throw new NodeError(`"${String(raw)}" is not a time (use an ISO timestamp such as 2026-12-01T09:00:00Z)`, { retryable: false });
    } else {
      until = now + durationToMs(ctx.config.duration);
    }
    if (until - now > MAX_PAUSE_MS) throw new NodeError("Delays longer than one year are not supported", { retryable: false });
    const untilIso = new Date(until).toISOString();
    if (until <= now) return { output: { waitedUntil: untilIso, skippedBecausePast: true } };
    return { pause: "sleep", until: untilIso, output: { waitedUntil: untilIso } };
  },
  async resume(_ctx, _event, pauseOutput) {
    return { output: pauseOutput };
  },
};
