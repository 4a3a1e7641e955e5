// Tells the run host that the app's Inngest functions changed — a flow was published, paused,
// activated or deleted, so a scheduled flow's cron function may have appeared, changed or gone —
// without importing it (a process signal because Next bundles load modules separately).
import { processSignal } from "@/lib/process-singletons";

const changed = processSignal("schedulesChangedListeners");

export function onSchedulesChanged(listener: () => void): () => void {
  return changed.listen(listener);
}

/** Asks every run host in this process to sync the app's functions with its Inngest again. */
export function schedulesChanged(): void {
  changed.raise();
}
