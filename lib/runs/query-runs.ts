// Run history reads for the run log: keyset-paginated lists (fast at 100,000+ runs), one run with
// its steps and trigger request, all scoped to one workspace.
import { z } from "zod";
import { AppError, notFound } from "@/lib/errors";
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { parseFlowGraph } from "@/lib/flows/graph";
import { runWithStepsSchema, type runListItemSchema, type runListSchema, type RunWithSteps } from "./run-responses";
import { RUN_STATUSES } from "./run-statuses";
import { summarizePayload } from "./summarize-payload";

export const listRunsQuery = z.object({
  flowId: z.string().min(1).optional(),
  /** One status or several, comma-separated (e.g. `failed,cancelled`). */
  status: z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(RUN_STATUSES)))
    .optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** A run id, a delivery id, or text to find in the trigger payload. */
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `false`: only runs not dismissed from the dead-letter view; `true`: only dismissed ones. */
  dismissed: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  /** Include editor test runs (hidden by default). */
  includeTests: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});
export type ListRunsQuery = z.infer<typeof listRunsQuery>;

const runListSelect = {
  id: true,
  flowId: true,
  status: true,
  deliveryId: true,
  isTest: true,
  replayOfId: true,
  replayMode: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  flow: { select: { name: true } },
  flowVersion: { select: { version: true } },
} as const satisfies Prisma.RunSelect;

type RunListRow = Prisma.RunGetPayload<{ select: typeof runListSelect }>;

/** A run log row as the server hands it over (Dates, not yet ISO strings). */
type RunListRecord = z.input<typeof runListItemSchema>;

function toListItem(row: RunListRow): RunListRecord {
  const error = row.error as { message?: string } | null;
  return {
    id: row.id,
    flowId: row.flowId,
    flowName: row.flow.name,
    version: row.flowVersion.version,
    status: row.status,
    deliveryId: row.deliveryId,
    isTest: row.isTest,
    replayOfId: row.replayOfId,
    replayMode: row.replayMode,
    errorMessage: error?.message ?? null,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.durationMs,
  };
}

// The cursor is the (createdAt, id) of the last row shown: stable under inserts, O(log n) to seek.
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime())) throw new AppError("invalid_cursor", "The cursor is not one this API returned");
  return { createdAt, id };
}

export async function listRuns(
  prisma: PrismaClient,
  workspaceId: string,
  query: ListRunsQuery,
): Promise<z.input<typeof runListSchema>> {
  const where: Prisma.RunWhereInput = { workspaceId };
  if (query.flowId) where.flowId = query.flowId;
  if (query.status?.length) where.status = query.status.length === 1 ? query.status[0] : { in: query.status };
  if (!query.includeTests) where.isTest = false;
  if (query.dismissed !== undefined) where.dismissedAt = query.dismissed ? { not: null } : null;
  if (query.from || query.to) where.createdAt = { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) };
  const and: Prisma.RunWhereInput[] = [];
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    // The redundant `lte` bound lets the planner seek the (createdAt, id) index instead of
    // filtering every newer row out of an OR.
    and.push({ createdAt: { lte: c.createdAt } }, { OR: [{ createdAt: { lt: c.createdAt } }, { id: { lt: c.id } }] });
  }
  if (query.q) and.push({ OR: [{ id: query.q }, { deliveryId: query.q }, { id: { in: await runIdsMatchingPayload(prisma, workspaceId, query.q) } }] });
  if (and.length) where.AND = and;

  const rows = await prisma.run.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: runListSelect,
  });
  const page = rows.slice(0, query.limit);
  const summaries = await payloadSummaries(prisma, page.map((row) => row.id));
  return {
    runs: page.map((row) => ({ ...toListItem(row), payloadSummary: summaries.get(row.id) ?? null })),
    nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]) : null,
  };
}

// Bodies are read only when small: a list page must not pull megabytes of payload to show one line.
const SUMMARIZED_PAYLOAD_BYTES = 64 * 1024;

async function payloadSummaries(prisma: PrismaClient, runIds: string[]): Promise<Map<string, string | null>> {
  if (runIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ id: string; body: unknown; large: boolean }[]>`
    SELECT id, CASE WHEN pg_column_size("triggerPayload") <= ${SUMMARIZED_PAYLOAD_BYTES} THEN "triggerPayload"->'body' END AS body,
           pg_column_size("triggerPayload") > ${SUMMARIZED_PAYLOAD_BYTES} AS large
    FROM "Run" WHERE id = ANY(${runIds}::text[])`;
  return new Map(rows.map((row) => [row.id, row.large ? "(large payload)" : summarizePayload(row.body)]));
}

// Text search in trigger payloads scans the newest runs first and stops at a bounded number of
// matches, so a search stays responsive however long the history is.
async function runIdsMatchingPayload(prisma: PrismaClient, workspaceId: string, text: string): Promise<string[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Run"
    WHERE "workspaceId" = ${workspaceId} AND "triggerPayload"::text ILIKE ${pattern}
    ORDER BY "createdAt" DESC
    LIMIT 1000`;
  return rows.map((r) => r.id);
}

/** One run as GET /runs/:runId answers it, serialised through its response schema. */
export async function getRun(prisma: PrismaClient, workspaceId: string, runId: string): Promise<RunWithSteps> {
  const run = await prisma.run.findFirst({
    where: { id: runId, workspaceId },
    select: {
      ...runListSelect,
      triggerPayload: true,
      output: true,
      flowVersionId: true,
      flowVersion: { select: { version: true, graph: true, isTestSnapshot: true } },
      // call_flow: the run whose step started this one, and the runs this one's steps started.
      parentRunId: true,
      parentNodeId: true,
      parentRun: { select: { flow: { select: { name: true } } } },
      childRuns: { select: { id: true, parentNodeId: true, status: true, flow: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
      delivery: {
        select: { id: true, method: true, headers: true, contentType: true, sourceIp: true, receivedAt: true, endpointId: true, verdict: true },
      },
      steps: {
        orderBy: [{ startedAt: "asc" }, { itemIndex: "asc" }, { attempt: "asc" }],
        select: {
          id: true,
          nodeId: true,
          nodeKind: true,
          itemIndex: true,
          attempt: true,
          status: true,
          input: true,
          output: true,
          error: true,
          truncated: true,
          warnings: true,
          logs: true,
          nextRetryAt: true,
          startedAt: true,
          finishedAt: true,
          durationMs: true,
          reusedFromRunId: true,
        },
      },
    },
  });
  if (!run) throw notFound("Run");
  const { flowVersion, steps, triggerPayload, output, delivery, flowVersionId, parentRunId, parentNodeId, parentRun, childRuns, ...rest } = run;
  return runWithStepsSchema.parse({
    parent: parentRunId ? { runId: parentRunId, nodeId: parentNodeId, flowName: parentRun?.flow.name ?? null } : null,
    childRuns: childRuns.map((child) => ({ runId: child.id, nodeId: child.parentNodeId, status: child.status, flowName: child.flow.name })),
    ...toListItem({ ...rest, flowVersion }),
    error: withoutStack(rest.error),
    flowVersionId,
    isTestSnapshot: flowVersion.isTestSnapshot,
    graph: parseFlowGraph(flowVersion.graph),
    triggerPayload,
    output,
    delivery,
    steps: steps.map((step) => ({ ...step, error: withoutStack(step.error) })),
  });
}

/** Errors stored before the run log left stack traces out still carry one (server file paths): never shown. */
function withoutStack<T>(error: T): T {
  if (!error || typeof error !== "object" || !("stack" in error)) return error;
  const rest = { ...(error as Record<string, unknown>) };
  delete rest.stack;
  return rest as T;
}

/** Removes failed runs from the dead-letter view (they stay in the history). Returns how many changed. */
export async function dismissRuns(prisma: PrismaClient, workspaceId: string, runIds: string[]): Promise<number> {
  const { count } = await prisma.run.updateMany({
    where: { workspaceId, id: { in: runIds }, status: "failed", dismissedAt: null },
    data: { dismissedAt: new Date() },
  });
  return count;
}
