// What the run API answers, defined once: the server's functions return these shapes
// (query-runs.ts, run-metrics.ts), the OpenAPI document describes them, and client components
// import their types and check the answers with them. Client-safe: zod only.
import { z } from "zod";
import { timestamp } from "@/lib/api/timestamp";
import { flowGraphSchema } from "@/lib/flows/graph";
import { HANDLED_AS } from "@/lib/nodes/shared/error-handling";
import { RUN_STATUSES } from "./run-statuses";

export const STEP_STATUSES = ["running", "waiting", "succeeded", "failed", "skipped", "cancelled"] as const;

/** One row of the run log. */
export const runListItemSchema = z.object({
  id: z.string(),
  flowId: z.string(),
  flowName: z.string(),
  /** The flow version that ran; negative for a test run of the draft. */
  version: z.number().int(),
  status: z.enum(RUN_STATUSES),
  deliveryId: z.string().nullable(),
  isTest: z.boolean(),
  replayOfId: z.string().nullable(),
  replayMode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  durationMs: z.number().nullable(),
  /** A few telling fields of the trigger request's body ("email: ada@example.com · amount: 120"); list responses only. */
  payloadSummary: z.string().nullable().optional(),
});
export type RunListItem = z.output<typeof runListItemSchema>;

/** GET /runs: newest first; pass nextCursor as cursor for the next page. */
export const runListSchema = z.object({ runs: z.array(runListItemSchema), nextCursor: z.string().nullable() });

/** A step's error as stored (lib/runs/prepare-for-storage.ts serializeError); never a stack trace. */
export const stepErrorSchema = z.looseObject({
  message: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
  status: z.number().optional().catch(undefined),
  body: z.unknown().optional(),
  retryable: z.boolean().optional().catch(undefined),
  /** Set when the step's onError setting let the run go on (lib/nodes/shared/error-handling.ts). */
  handled: z.enum(HANDLED_AS).optional().catch(undefined),
});
export type StepError = z.output<typeof stepErrorSchema>;

/** One attempt of one node. */
export const runStepSchema = z.object({
  id: z.string(),
  nodeId: z.string(),
  nodeKind: z.string(),
  /** The for_each item the attempt ran for; null outside loops. */
  itemIndex: z.number().int().nullable(),
  attempt: z.number().int(),
  status: z.enum(STEP_STATUSES),
  input: z.unknown(),
  output: z.unknown(),
  error: stepErrorSchema.nullable(),
  truncated: z.boolean(),
  /** Paths expressions read that were missing (lib/expressions/missing-path.ts). */
  warnings: z
    .array(z.looseObject({ field: z.string().optional(), path: z.string(), message: z.string() }))
    .nullable()
    .catch(null),
  /** Lines the step printed (a code step's console), in order. */
  logs: z
    .array(z.object({ level: z.enum(["log", "info", "warn", "error"]), message: z.string() }))
    .nullable()
    .catch(null),
  nextRetryAt: timestamp.nullable(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  durationMs: z.number().nullable(),
  reusedFromRunId: z.string().nullable(),
});
export type RunStep = z.output<typeof runStepSchema>;

// Stored JSON written by several versions of the app: an unexpected shape shows as "no request" rather than breaking the page.
const triggerPayloadSchema = z
  .looseObject({ method: z.string().optional(), headers: z.unknown(), query: z.unknown(), body: z.unknown(), receivedAt: z.string().optional() })
  .nullable()
  .catch(null);

/** GET /runs/:runId: a run with every attempt of its steps, its trigger request and the graph it ran. */
export const runWithStepsSchema = runListItemSchema.omit({ payloadSummary: true }).extend({
  /** The run's error (message, nodeId of the failed step, …). */
  error: z.unknown(),
  flowVersionId: z.string(),
  isTestSnapshot: z.boolean(),
  graph: flowGraphSchema,
  triggerPayload: triggerPayloadSchema,
  output: z.unknown(),
  /** The webhook request that started the run; null for manual runs and replays. */
  delivery: z
    .object({
      id: z.string(),
      method: z.string(),
      headers: z.unknown(),
      contentType: z.string().nullable(),
      sourceIp: z.string().nullable(),
      receivedAt: timestamp,
      endpointId: z.string(),
      verdict: z.enum(["accepted", "rejected", "duplicate"]),
    })
    .nullable(),
  steps: z.array(runStepSchema),
  /** The run whose call_flow step started this one ("nodeId" has ":item:<i>" inside a loop). */
  parent: z.object({ runId: z.string(), nodeId: z.string().nullable(), flowName: z.string().nullable() }).nullable(),
  /** The runs this run's call_flow steps started. */
  childRuns: z.array(z.object({ runId: z.string(), nodeId: z.string().nullable(), status: z.enum(RUN_STATUSES), flowName: z.string() })),
});
export type RunWithSteps = z.output<typeof runWithStepsSchema>;

/** POST /flows/:flowId/runs and POST /runs/:runId/replay */
export const startedRunSchema = z.object({ runId: z.string(), flowVersionId: z.string(), isTest: z.boolean() });

/** GET /metrics */
export const runMetricsSchema = z.object({
  window: z.enum(["1h", "24h", "7d", "30d"]),
  since: timestamp,
  runs: z.object({ total: z.number(), succeeded: z.number(), failed: z.number(), running: z.number(), successRate: z.number().nullable() }),
  durationMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  series: z.array(z.object({ bucket: timestamp, succeeded: z.number(), failed: z.number(), other: z.number() })),
  failuresByNode: z.array(z.object({ nodeId: z.string(), failures: z.number() })),
  deliveries: z.object({ accepted: z.number(), rejected: z.number(), duplicate: z.number() }),
});
export type RunMetrics = z.output<typeof runMetricsSchema>;
