// A run's statuses (the RunStatus enum of prisma/schema.prisma), and which of them are final.
// Client-safe: the builder polls a test run until it reaches one of them.
export const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled", "skipped"] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];

/** Statuses a run does not leave: no step runs any more, retention may delete it. */
export const FINISHED_RUN_STATUSES = ["succeeded", "failed", "cancelled", "skipped"] as const satisfies readonly RunStatusName[];

const FINISHED = new Set<string>(FINISHED_RUN_STATUSES);

export function isFinishedRunStatus(status: string): boolean {
  return FINISHED.has(status);
}
