// Foreground load: work a person or a sender waits on (a webhook acknowledgement) is counted here,
// so that work which can wait (the engine executing runs) holds back while it is in flight.

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
