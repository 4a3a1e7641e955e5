// Lets the webhook fast path wake the outbox relay right after a commit without importing it
// (the relay is started once by server.ts; a process singleton because Next bundles load modules separately).
import { processSingleton } from "@/lib/process-singletons";

const kickers = processSingleton("outboxKickers", () => new Set<() => void>());

export function registerOutboxKick(kick: () => void): () => void {
  kickers.add(kick);
  return () => kickers.delete(kick);
}

/** Asks every running relay to look for new outbox events now instead of at its next poll. */
export function kickOutboxRelay(): void {
  for (const kick of kickers) kick();
}
