// What POST /workspace/check-destination answers, defined once. Client-safe: zod only.
import { z } from "zod";

export const destinationCheckSchema = z.object({
  /** "blocked": runs will be refused; "reachable": the guard lets it through; "unknown": not checkable now (expression in the host, DNS failure). */
  status: z.enum(["reachable", "blocked", "unknown"]),
  host: z.string().nullable(),
  /** The refused address (blocked only). */
  address: z.string().optional(),
  /** Its range: "loopback", "private", "linkLocal"… (blocked only). */
  reason: z.string().optional(),
  /** Whether the operator's SWITCHYARD_ALLOWED_INTERNAL_HOSTS would let the workspace allow it (blocked only). */
  operatorAllows: z.boolean().optional(),
});
export type DestinationCheck = z.output<typeof destinationCheckSchema>;
