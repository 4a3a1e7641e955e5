// Normalizes what a run's trigger looked like into the shape expressions see.
import type { TriggerPayload } from "@/lib/expressions/expression-context";

/** Accepts a full trigger payload ({ body, headers, … }) or just a body (manual runs, old samples). */
export function toTriggerPayload(value: unknown, now = new Date()): TriggerPayload {
  if (value && typeof value === "object" && !Array.isArray(value) && "body" in value && ("headers" in value || "method" in value)) {
    const v = value as Partial<TriggerPayload>;
    return {
      body: v.body ?? null,
      headers: v.headers && typeof v.headers === "object" ? v.headers : {},
      query: v.query && typeof v.query === "object" ? v.query : {},
      method: typeof v.method === "string" ? v.method : "POST",
      receivedAt: typeof v.receivedAt === "string" ? v.receivedAt : now.toISOString(),
    };
  }
  return { body: value ?? {}, headers: {}, query: {}, method: "POST", receivedAt: now.toISOString() };
}
