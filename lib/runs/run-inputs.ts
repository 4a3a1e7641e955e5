// Request bodies of the run API routes (also the source of their OpenAPI schemas).
import { z } from "zod";

/** What a replay request may ask for (single and bulk replay share it). */
export const replayInput = z.object({
  mode: z.enum(["full", "failed-only"]).default("full"),
  version: z.enum(["original", "current"]).default("original"),
});

export const bulkReplayInput = replayInput.extend({ runIds: z.array(z.string().min(1)).min(1).max(500) });

/** Query of POST /flows/:id/runs: "published" (a manual run; the body is its payload) or "draft" (a test run; the body is the trigger). */
export const startRunQuery = z.object({
  source: z.enum(["draft", "published"]).default("published"),
});

/**
 * Body of POST /flows/:id/runs. A manual run: the payload, any JSON (trigger.body in expressions).
 * A test run of the draft: a trigger payload ({ method, headers, query, body }) or just a body;
 * empty for the flow's sample payload.
 */
export const startRunBody = z.unknown().describe("The run's payload: any JSON value (expressions read it as trigger.body)");

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
