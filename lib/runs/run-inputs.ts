// Request bodies of the run API routes (also the source of their OpenAPI schemas).
import { z } from "zod";

/** What a replay request may ask for (single and bulk replay share it). */
export const replayInput = z.object({
  mode: z.enum(["full", "failed-only"]).default("full"),
  version: z.enum(["original", "current"]).default("original"),
});

export const bulkReplayInput = replayInput.extend({ runIds: z.array(z.string().min(1)).min(1).max(500) });

export const startRunInput = z.object({
  /** "draft" runs the current draft as a test run; "published" runs the active version. */
  source: z.enum(["draft", "published"]).default("published"),
  /** A trigger payload with method/headers ({ method, headers, query, body }), or else just the body; defaults to the flow's sample payload. */
  trigger: z.unknown().optional(),
});

export const approvalInput = z.object({
  nodeId: z.string().min(1),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().max(2000).optional(),
});

export const dismissRunsInput = z.object({ runIds: z.array(z.string().min(1)).min(1).max(500) });

export const sendEventInput = z.object({
  name: z.string().min(1).max(100),
  correlationKey: z.string().min(1).max(500),
  payload: z.unknown().optional(),
  /** Your id for the event: sending the same id twice delivers it once. */
  id: z.string().min(1).max(200).optional(),
});
