import { Badge } from "@/components/ui/badge";

const TONES = {
  queued: "gray",
  running: "blue",
  waiting: "amber",
  retrying: "amber",
  succeeded: "green",
  failed: "red",
  cancelled: "gray",
  skipped: "gray",
} as const;

export type RunStatus = keyof typeof TONES;

/** A run's or (with `step`) a step's status; a skipped run was stopped by a filter, a skipped step simply did not run. */
export function RunStatusBadge({ status, step = false }: { status: string; step?: boolean }) {
  const tone = TONES[status as RunStatus] ?? "gray";
  return <Badge tone={tone}>{status === "skipped" ? (step ? "not run" : "skipped by filter") : status}</Badge>;
}

export const IN_FLIGHT = new Set(["queued", "running", "waiting"]);

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}
