// Flow CRUD, always scoped to one workspace.
import { conflict, notFound } from "@/lib/errors";
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { asJson } from "@/lib/db/json";
import { schedulesChanged } from "@/lib/schedules/schedules-changed";
import { syncFlowEndpoints } from "@/lib/webhooks/endpoints/sync-endpoints";
import type { CreateFlowInput, UpdateFlowInput } from "./flow-schemas";
import { parseFlowSettings, type FlowSettings } from "./flow-settings";
import { EMPTY_GRAPH, parseFlowGraph, type FlowGraph } from "./graph";

const flowSelect = {
  id: true,
  name: true,
  description: true,
  status: true,
  draftRevision: true,
  settings: true,
  createdAt: true,
  updatedAt: true,
  activeVersion: { select: { id: true, version: true, publishedAt: true } },
} as const;

type FlowRow = Prisma.FlowGetPayload<{ select: typeof flowSelect }>;

export interface FlowSummary {
  id: string;
  settings: FlowSettings;
  name: string;
  description: string;
  status: "draft" | "active" | "paused";
  draftRevision: number;
  activeVersion: { id: string; version: number; publishedAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface FlowDetail extends FlowSummary {
  graph: FlowGraph;
}

const toSummary = (row: FlowRow): FlowSummary => ({ ...row, settings: parseFlowSettings(row.settings), activeVersion: row.activeVersion ?? null });

export async function createFlow(prisma: PrismaClient, workspaceId: string, userId: string, input: CreateFlowInput): Promise<FlowDetail> {
  const graph = input.graph ?? EMPTY_GRAPH;
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.flow.create({
      data: { workspaceId, createdById: userId, name: input.name, description: input.description, draftGraph: asJson(graph) },
      select: flowSelect,
    });
    // Every trigger node owns an endpoint (its webhook URL) from the moment it exists.
    await syncFlowEndpoints(tx, { workspaceId, flowId: created.id, graph });
    return created;
  });
  return { ...toSummary(row), graph };
}

export async function listFlows(
  prisma: PrismaClient,
  workspaceId: string,
  filter: { status?: FlowSummary["status"]; q?: string } = {},
): Promise<FlowSummary[]> {
  const rows = await prisma.flow.findMany({
    where: {
      workspaceId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.q ? { name: { contains: filter.q, mode: "insensitive" as const } } : {}),
    },
    orderBy: { updatedAt: "desc" },
    select: flowSelect,
    take: 500,
  });
  return rows.map(toSummary);
}

export async function getFlow(prisma: PrismaClient, workspaceId: string, flowId: string): Promise<FlowDetail> {
  const row = await prisma.flow.findFirst({
    where: { id: flowId, workspaceId },
    select: { ...flowSelect, draftGraph: true },
  });
  if (!row) throw notFound("Flow");
  const { draftGraph, ...rest } = row;
  return { ...toSummary(rest), graph: parseFlowGraph(draftGraph) };
}

/**
 * Updates name/description and, when given, the draft graph. Graph saves are conflict-safe: the
 * caller names the revision it edited and a save over a newer revision is refused with 409.
 */
export async function updateFlow(
  prisma: PrismaClient,
  workspaceId: string,
  flowId: string,
  input: UpdateFlowInput,
): Promise<FlowDetail> {
  return prisma.$transaction(async (tx) => {
    const data: Prisma.FlowUpdateManyMutationInput = {};
    if (input.name !== undefined) data.name = input.name;
    if (input.description !== undefined) data.description = input.description;
    if (input.settings !== undefined) data.settings = asJson(input.settings);
    if (input.graph !== undefined) {
      data.draftGraph = asJson(input.graph);
      data.draftRevision = { increment: 1 };
    }
    const where = {
      id: flowId,
      workspaceId,
      ...(input.graph !== undefined ? { draftRevision: input.revision } : {}),
    };
    const { count } = await tx.flow.updateMany({ where, data });
    if (count === 0) {
      const current = await tx.flow.findFirst({ where: { id: flowId, workspaceId }, select: { draftRevision: true } });
      if (!current) throw notFound("Flow");
      throw conflict(
        `The flow was changed elsewhere (revision ${current.draftRevision}, you edited ${input.revision}). Reload to get the latest draft.`,
        { currentRevision: current.draftRevision },
      );
    }
    if (input.graph !== undefined) await syncFlowEndpoints(tx, { workspaceId, flowId, graph: input.graph });
    const row = await tx.flow.findFirstOrThrow({ where: { id: flowId, workspaceId }, select: { ...flowSelect, draftGraph: true } });
    const { draftGraph, ...rest } = row;
    return { ...toSummary(rest), graph: parseFlowGraph(draftGraph) };
  });
}

export async function deleteFlow(prisma: PrismaClient, workspaceId: string, flowId: string): Promise<void> {
  const { count } = await prisma.flow.deleteMany({ where: { id: flowId, workspaceId } });
  if (count === 0) throw notFound("Flow");
  schedulesChanged();
}
