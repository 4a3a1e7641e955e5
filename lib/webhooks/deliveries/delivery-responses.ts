// What the delivery API answers, defined once: manage-deliveries.ts returns these shapes, the
// OpenAPI document describes them, client components import their types and check answers with
// them. Client-safe: zod only.
import { z } from "zod";
import { timestamp } from "@/lib/api/timestamp";

const verdict = z.enum(["accepted", "rejected", "duplicate"]);

/** One inbound request and its outcome: each entry of GET /deliveries. */
export const deliverySummarySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  receivedAt: timestamp,
  method: z.string(),
  contentType: z.string().nullable(),
  /** The body's size as received. */
  sizeBytes: z.number().int(),
  /** Only the body's first bytes were kept (a refused request; REFUSED_BODY_KEPT_BYTES). */
  bodyTruncated: z.boolean(),
  sourceIp: z.string().nullable(),
  verdict,
  responseStatus: z.number().int(),
  reason: z.string().nullable(),
  dedupeKey: z.string().nullable(),
  duplicateOfId: z.string().nullable(),
  dispatchedAt: timestamp.nullable(),
  runId: z.string().nullable(),
});
export type DeliveryListItem = z.output<typeof deliverySummarySchema>;

export const deliveryListSchema = z.object({ deliveries: z.array(deliverySummarySchema), nextCursor: z.string().nullable() });

/** GET /deliveries/:deliveryId: with headers (secrets redacted), query and body. */
export const deliveryDetailSchema = deliverySummarySchema.extend({
  query: z.unknown(),
  headers: z.unknown(),
  /** The body as text when it is UTF-8, else base64 (bodyEncoding says which). */
  body: z.string().nullable(),
  bodyEncoding: z.enum(["utf8", "base64"]).nullable(),
});
export type DeliveryWithBody = z.output<typeof deliveryDetailSchema>;

/** What "Listen for test event" streams for each request as it arrives (server-sent event "delivery"). */
export const deliveryFeedItemSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  endpointId: z.string(),
  receivedAt: z.string(),
  method: z.string(),
  verdict,
  responseStatus: z.number().int(),
  reason: z.string().nullable(),
  runId: z.string().nullable(),
});
export type DeliveryFeedItem = z.output<typeof deliveryFeedItemSchema>;

/** POST /deliveries/:deliveryId/replay */
export const replayedDeliverySchema = z.object({ runId: z.string(), statusUrl: z.string() });

/** POST /deliveries/:deliveryId/keep-as-sample */
export const keptSampleSchema = z.object({ flowId: z.string(), samplePayload: z.unknown() });
