// How the run log lists attempts: consecutive attempts of one node that ended the same way are
// one entry ("attempts 1–3, failed: … answered HTTP 503"), and a node whose last attempt failed
// with a retry still to come is "retrying", not failed. Client-safe.

export interface AttemptLike {
  nodeId: string;
  attempt: number;
  status: string;
  error: { message?: string; code?: string | number; status?: number } | null;
  nextRetryAt: string | null;
}

export interface AttemptGroup<T extends AttemptLike> {
  nodeId: string;
  /** In attempt order; at least one. */
  attempts: T[];
  /** The group's outcome; "retrying" when its last attempt failed and a retry is scheduled. */
  status: string;
  /** When the scheduled retry starts (status "retrying" only). */
  retryAt: string | null;
}

function outcome(step: AttemptLike): string {
  return JSON.stringify([step.status, step.error?.message ?? null, step.error?.code ?? null, step.error?.status ?? null]);
}

/**
 * Groups `steps` (oldest first) per node, merging an attempt into the node's previous group when
 * it ended the same way. Groups are ordered by their first attempt.
 */
export function groupAttempts<T extends AttemptLike>(steps: readonly T[], runInFlight: boolean): AttemptGroup<T>[] {
  const groups: AttemptGroup<T>[] = [];
  const lastOfNode = new Map<string, AttemptGroup<T>>();
  for (const step of steps) {
    const previous = lastOfNode.get(step.nodeId);
    if (previous && outcome(previous.attempts[previous.attempts.length - 1]) === outcome(step)) {
      previous.attempts.push(step);
      continue;
    }
    const group: AttemptGroup<T> = { nodeId: step.nodeId, attempts: [step], status: step.status, retryAt: null };
    groups.push(group);
    lastOfNode.set(step.nodeId, group);
  }
  for (const group of lastOfNode.values()) {
    const last = group.attempts[group.attempts.length - 1];
    if (runInFlight && last.status === "failed" && last.nextRetryAt) {
      group.status = "retrying";
      group.retryAt = last.nextRetryAt;
    }
  }
  return groups;
}

/** "attempt 2", "attempts 1–3". */
export function describeAttempts(attempts: readonly { attempt: number }[]): string {
  const first = attempts[0].attempt;
  const last = attempts[attempts.length - 1].attempt;
  return first === last ? `attempt ${first}` : `attempts ${first}–${last}`;
}

/** "in 42 s", "in 3 min", "any moment now". */
export function countdown(at: string, now: number): string {
  const seconds = Math.round((Date.parse(at) - now) / 1000);
  if (seconds <= 0) return "any moment now";
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `in ${minutes} min ${seconds % 60} s`;
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
