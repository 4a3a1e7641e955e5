// Durations as the inspector shows them: an amount and a unit. Client-safe.
import { z } from "zod";

export const DURATION_UNITS = ["seconds", "minutes", "hours", "days"] as const;
const UNIT_MS: Record<(typeof DURATION_UNITS)[number], number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

export const durationSchema = z.object({
  amount: z.number().positive("Duration must be greater than zero").describe("How long"),
  unit: z.enum(DURATION_UNITS).default("minutes").describe("Unit"),
});

export type Duration = z.infer<typeof durationSchema>;

/** Longest pause a node may take (Inngest's sleep limit is one year). */
export const MAX_PAUSE_MS = 365 * 86_400_000;

export function durationToMs(duration: Duration): number {
  return Math.round(duration.amount * UNIT_MS[duration.unit]);
}

export function describeDuration(duration: Duration): string {
  const unit = duration.amount === 1 ? duration.unit.replace(/s$/, "") : duration.unit;
  return `${duration.amount} ${unit}`;
}
