// Tells the run host that the app's Inngest functions changed — a flow was published, paused,
// activated or deleted, so a scheduled flow's cron function may have appeared, changed or gone —
// without importing it. globalThis: Next's bundles load this module apart from server.ts's copy.
const shared = globalThis as unknown as { __switchyardSchedulesChanged?: Set<() => void> };
const listeners = (shared.__switchyardSchedulesChanged ??= new Set());

export function onSchedulesChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Asks every run host in this process to sync the app's functions with its Inngest again. */
export function schedulesChanged(): void {
  for (const listener of listeners) listener();
}
