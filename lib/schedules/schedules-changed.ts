// Tells the run host that the app's Inngest functions changed — a flow was published, paused,
// activated or deleted, so a scheduled flow's cron function may have appeared, changed or gone —
// without importing it (a process singleton because Next bundles load modules separately).
import { processSingleton } from "@/lib/process-singletons";

const listeners = processSingleton("schedulesChangedListeners", () => new Set<() => void>());

export function onSchedulesChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Asks every run host in this process to sync the app's functions with its Inngest again. */
export function schedulesChanged(): void {
  for (const listener of listeners) listener();
}
