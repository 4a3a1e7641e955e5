// Lets the webhook fast path wake the outbox relay right after a commit without importing it
// (the relay is started once by server.ts; a process signal because Next bundles load modules separately).
import { processSignal } from "@/lib/process-singletons";

const kick = processSignal("outboxKickers");

export function registerOutboxKick(listener: () => void): () => void {
  return kick.listen(listener);
}

/** Asks every running relay to look for new outbox events now instead of at its next poll. */
export function kickOutboxRelay(): void {
  kick.raise();
}
