import type { Prisma } from "./generated/client";

/**
 * Typed zod output (objects with optional fields, Record<string, unknown>) is valid JSON but does
 * not satisfy Prisma's InputJsonValue type; this is the one place that bridges the two.
 */
export function asJson(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}
