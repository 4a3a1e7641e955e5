// Which lane a database call belongs to. Work a person or a sender is waiting on (a webhook
// acknowledgement, a page) is foreground, the default. Work that can wait without anyone noticing
// (the engine executing runs, the outbox relay) marks itself as background, so that on the
// single-connection embedded database it queues behind the foreground and a backlog of runs cannot
// slow the front door (lib/db/priority-gate.ts).
import { AsyncLocalStorage } from "node:async_hooks";

const lane = new AsyncLocalStorage<"background">();

/** Runs `fn`, and everything it starts (promises, timers, requests it handles), as background work. */
export function runAsBackgroundWork<T>(fn: () => T): T {
  return lane.run("background", fn);
}

export function isBackgroundWork(): boolean {
  return lane.getStore() === "background";
}

// Foreground demand: background work throttles itself while webhooks are being acknowledged.
let foregroundInFlight = 0;
let lastForegroundEnd = -Infinity;
// A sender's next request usually follows within a few milliseconds; a gap shorter than this is still one burst.
const BURST_GAP_MS = 25;

/** Counts one foreground request until the returned function is called. */
export function trackForegroundRequest(): () => void {
  foregroundInFlight++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    foregroundInFlight--;
    lastForegroundEnd = performance.now();
  };
}

/** True while foreground requests are in flight or ended moments ago. */
export function foregroundBusy(): boolean {
  return foregroundInFlight > 0 || performance.now() - lastForegroundEnd < BURST_GAP_MS;
}
