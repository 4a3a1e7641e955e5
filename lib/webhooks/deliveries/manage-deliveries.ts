import { Readable } from "node:stream";
import busboy from "busboy";
import { z } from "zod";
import { notFound, unprocessable } from "@/lib/errors";
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma, WebhookDelivery } from "@/lib/db/generated/client";
import { RUN_REQUESTED, type RunRequestedData } from "@/lib/runs/run-events";
import { kickOutboxRelay } from "@/lib/outbox/kick";
import { createRowId } from "@/lib/db/ids";
import { toJsonb } from "../ingress/ingest-writer";
import { publicUrl } from "@/lib/config/server-settings";
import { parseBody } from "../ingress/parse-body";
import { REFUSED_BODY_KEPT_BYTES } from "../endpoints/limits";

export const listDeliveriesQuery = z
  .object({
    endpointId: z.string().min(1).max(64).optional(),
    flowId: z.string().min(1).max(64).optional(),
    verdict: z.enum(["accepted", "rejected", "duplicate"]).optional(),
    /** Free text: matched against the body, reason, dedupe key, source IP and delivery id. */
    q: z.string().trim().min(1).max(200).optional(),
    /** Cursor: the id of the last delivery of the previous page. */
    before: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export interface DeliverySummary {
  id: string;
  endpointId: string;
  receivedAt: Date;
  method: string;
  contentType: string | null;
  /** The body's size as received. */
  sizeBytes: number;
  /** Only the body's first bytes were kept (a refused request; REFUSED_BODY_KEPT_BYTES). */
  bodyTruncated: boolean;
  sourceIp: string | null;
  verdict: WebhookDelivery["verdict"];
  responseStatus: number;
  reason: string | null;
  dedupeKey: string | null;
  duplicateOfId: string | null;
  dispatchedAt: Date | null;
  runId: string | null;
}

export interface DeliveryDetail extends DeliverySummary {
  query: unknown;
  headers: unknown;
  /** The body as text when it is UTF-8, else base64 (bodyEncoding says which). */
  body: string | null;
  bodyEncoding: "utf8" | "base64" | null;
}

const summarySelect = {
  id: true,
  endpointId: true,
  receivedAt: true,
  method: true,
  contentType: true,
  sizeBytes: true,
  bodyTruncated: true,
  sourceIp: true,
  verdict: true,
  responseStatus: true,
  reason: true,
  dedupeKey: true,
  duplicateOfId: true,
  dispatchedAt: true,
  run: { select: { id: true } },
} satisfies Prisma.WebhookDeliverySelect;

type SummaryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof summarySelect }>;
const toSummary = ({ run, ...row }: SummaryRow): DeliverySummary => ({ ...row, runId: run?.id ?? null });

/** Deliveries of a workspace, newest first, filtered and searchable, paged by cursor. */
export async function listDeliveries(
  prisma: PrismaClient,
  workspaceId: string,
  input: z.input<typeof listDeliveriesQuery> = {},
): Promise<{ deliveries: DeliverySummary[]; nextCursor: string | null }> {
  const query = listDeliveriesQuery.parse(input);
  const where: Prisma.WebhookDeliveryWhereInput = { workspaceId };
  if (query.endpointId) where.endpointId = query.endpointId;
  if (query.flowId) where.endpoint = { flowId: query.flowId, workspaceId };
  if (query.verdict) where.verdict = query.verdict;
  if (query.q) {
    // Bodies are bytes: search their text with one indexed-by-workspace scan, capped.
    const bodyHits = await prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM "WebhookDelivery" WHERE "workspaceId" = $1 AND encode("rawBody", 'escape') ILIKE $2
        ORDER BY "receivedAt" DESC LIMIT 1000`,
      workspaceId,
      `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    );
    where.OR = [
      { id: query.q },
      { reason: { contains: query.q, mode: "insensitive" } },
      { dedupeKey: { contains: query.q } },
      { sourceIp: { startsWith: query.q } },
      { id: { in: bodyHits.map((h) => h.id) } },
    ];
  }
  const rows = await prisma.webhookDelivery.findMany({
    where,
    select: summarySelect,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    ...(query.before ? { cursor: { id: query.before }, skip: 1 } : {}),
  });
  const page = rows.slice(0, query.limit);
  return { deliveries: page.map(toSummary), nextCursor: rows.length > query.limit ? page[page.length - 1].id : null };
}

export async function getDelivery(prisma: PrismaClient, workspaceId: string, deliveryId: string): Promise<DeliveryDetail> {
  const row = await prisma.webhookDelivery.findFirst({
    where: { id: deliveryId, workspaceId },
    select: { ...summarySelect, query: true, headers: true, rawBody: true },
  });
  if (!row) throw notFound("Delivery");
  const { rawBody, query, headers, ...summary } = row;
  const bytes = rawBody ? Buffer.from(rawBody) : null;
  const text = bytes ? bytes.toString("utf8") : null;
  const isUtf8 = bytes !== null && Buffer.from(text!, "utf8").equals(bytes);
  return {
    ...toSummary(summary),
    query,
    headers,
    body: bytes ? (isUtf8 ? text : bytes.toString("base64")) : null,
    bodyEncoding: bytes ? (isUtf8 ? "utf8" : "base64") : null,
  };
}

// Refusals that say nothing against the request itself; the others (bad signature, …) stay refused.
const REPLAYABLE_REASONS = new Set(["endpoint_disabled", "flow_inactive", "rate_limited", "event_filtered", "duplicate"]);

/** The trigger payload a flow sees for a stored delivery. */
async function payloadOf(row: WebhookDelivery): Promise<Record<string, unknown>> {
  if (row.bodyTruncated) {
    throw unprocessable(`Only the first ${REFUSED_BODY_KEPT_BYTES} bytes of this refused request's ${row.sizeBytes}-byte body were kept, so it cannot be run or used as a sample.`);
  }
  const parsed = await parseBody(row.rawBody ? Buffer.from(row.rawBody) : Buffer.alloc(0), row.contentType ?? undefined, {
    deliveryId: row.id,
    maxFileBytes: Number.MAX_SAFE_INTEGER,
  });
  if (!parsed.ok) throw unprocessable(`The stored body cannot be read: ${parsed.message}`);
  const payload = { body: parsed.body, headers: row.headers, query: row.query ?? {}, method: row.method, receivedAt: row.receivedAt.toISOString() };
  return JSON.parse(toJsonb(payload)) as Record<string, unknown>; // storable as jsonb (no NUL characters)
}

/**
 * Runs a stored delivery again on the flow's active version: a new queued run (linked to the
 * delivery's original run) and its run.requested outbox event, committed together.
 */
export async function replayDelivery(
  prisma: PrismaClient,
  workspaceId: string,
  deliveryId: string,
): Promise<{ runId: string; statusUrl: string }> {
  const row = await prisma.webhookDelivery.findFirst({
    where: { id: deliveryId, workspaceId },
    include: { endpoint: { select: { flowId: true, flow: { select: { activeVersionId: true } } } }, run: { select: { id: true } } },
  });
  if (!row) throw notFound("Delivery");
  if (row.verdict === "rejected" && !REPLAYABLE_REASONS.has(row.reason ?? "")) {
    throw unprocessable(`This delivery was refused (${row.reason ?? "unknown reason"}) and cannot be replayed.`);
  }
  const flowVersionId = row.endpoint.flow.activeVersionId;
  if (!flowVersionId) throw unprocessable("The flow has no published version to replay the delivery on; publish it first.");
  const runId = createRowId();
  const data: RunRequestedData = { runId, flowId: row.endpoint.flowId, flowVersionId, deliveryId: null };
  await prisma.$transaction([
    prisma.run.create({
      data: {
        id: runId,
        workspaceId,
        flowId: row.endpoint.flowId,
        flowVersionId,
        status: "queued",
        triggerPayload: (await payloadOf(row)) as Prisma.InputJsonValue,
        replayOfId: row.run?.id ?? null,
        replayMode: "full",
      },
    }),
    prisma.outboxEvent.create({ data: { id: `ob_${runId}`, eventName: RUN_REQUESTED, eventId: runId, data: data as unknown as Prisma.InputJsonValue } }),
  ]);
  kickOutboxRelay();
  return { runId, statusUrl: `${publicUrl()}/api/v1/runs/${runId}` };
}

/** "Keep as sample": stores the delivery's payload as the flow's sample payload (variable picker, test runs). */
export async function keepDeliveryAsSample(prisma: PrismaClient, workspaceId: string, deliveryId: string): Promise<{ flowId: string; samplePayload: unknown }> {
  const row = await prisma.webhookDelivery.findFirst({ where: { id: deliveryId, workspaceId }, include: { endpoint: { select: { flowId: true } } } });
  if (!row) throw notFound("Delivery");
  const samplePayload = await payloadOf(row);
  await prisma.flow.updateMany({ where: { id: row.endpoint.flowId, workspaceId }, data: { samplePayload: samplePayload as Prisma.InputJsonValue } });
  return { flowId: row.endpoint.flowId, samplePayload };
}

/** The bytes of file number `index` uploaded with a multipart delivery (see UploadedFile.ref). */
export async function readDeliveryFile(
  prisma: PrismaClient,
  workspaceId: string,
  deliveryId: string,
  index: number,
): Promise<{ filename: string; contentType: string; data: Buffer }> {
  const row = await prisma.webhookDelivery.findFirst({ where: { id: deliveryId, workspaceId }, select: { rawBody: true, contentType: true } });
  if (!row?.rawBody || !row.contentType?.toLowerCase().startsWith("multipart/form-data")) throw notFound("File");
  const files: { filename: string; contentType: string; data: Buffer }[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = busboy({ headers: { "content-type": row.contentType! } });
    parser.on("file", (_field, stream, info) => {
      const chunks: Buffer[] = [];
      const file = { filename: info.filename ?? "", contentType: info.mimeType, data: Buffer.alloc(0) };
      files.push(file);
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => (file.data = Buffer.concat(chunks)));
    });
    parser.on("close", resolve);
    parser.on("error", reject);
    Readable.from([Buffer.from(row.rawBody!)]).pipe(parser);
  });
  const file = files[index];
  if (!file) throw notFound("File");
  return file;
}
