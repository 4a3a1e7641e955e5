// What the flow API answers, defined once: manage-flows.ts and publish-flow.ts return these shapes,
// the OpenAPI document describes them, client components import their types and check answers
// with them. Client-safe: zod only.
import { z } from "zod";
import { timestamp } from "@/lib/api/timestamp";
import { flowSettingsSchema } from "./flow-settings";
import { flowGraphSchema } from "./graph";

/** A flow without its graph: GET /flows lists these. */
export const flowSummarySchema = z.object({
  id: z.string(),
  settings: flowSettingsSchema,
  name: z.string(),
  description: z.string(),
  status: z.enum(["draft", "active", "paused"]),
  /** Send it back with a draft save: a stale one is refused (409). */
  draftRevision: z.number().int(),
  activeVersion: z.object({ id: z.string(), version: z.number().int(), publishedAt: timestamp }).nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type FlowListItem = z.output<typeof flowSummarySchema>;

/** A flow with its draft graph: GET/PATCH /flows/:flowId, activate, pause, restore, duplicate, create. */
export const flowSchema = flowSummarySchema.extend({ graph: flowGraphSchema });

export const flowListSchema = z.object({ flows: z.array(flowSummarySchema) });

/** A problem the validator found; a warning (severity) does not stop publishing. */
export const flowIssueSchema = z.object({
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
  /** Warnings do not block publishing (checkExpressionPaths); absent for problems that do. */
  severity: z.literal("warning").optional(),
});
/** A problem the validator found (validate-flow.ts, loop-bodies.ts), in the shape the API answers it in. */
export type FlowIssue = z.output<typeof flowIssueSchema>;

/** POST /flows/:flowId/publish: warnings name expression paths the trigger's sample or a step's last output does not have. */
export const publishedFlowSchema = z.object({
  flow: flowSchema,
  version: z.object({ id: z.string(), version: z.number().int() }),
  warnings: z.array(flowIssueSchema),
});

/** GET /flows/:flowId/versions: newest first. */
export const flowVersionListSchema = z.object({
  versions: z.array(z.object({ id: z.string(), version: z.number().int(), note: z.string().nullable(), publishedAt: timestamp, publishedById: z.string().nullable() })),
});
export type FlowVersionSummary = z.output<typeof flowVersionListSchema>["versions"][number];
