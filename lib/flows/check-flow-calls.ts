// Publish-time checks of the flows a graph calls (node kinds with flowFields, such as call_flow):
// each must be a published flow of the same workspace, and no chain of calls through the published
// versions may lead back to the flow being published. Run time has a depth limit as well
// (lib/runs/start-child-run.ts) for what slips past this (two flows published at the same moment).
import type { PrismaClient } from "@/lib/db/client";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { parseFlowGraph, type FlowGraph } from "./graph";
import type { FlowIssue } from "./validate-flow";

/** The flows a graph's nodes call, by node. */
export function flowCalls(graph: FlowGraph): { nodeId: string; field: string; flowId: string }[] {
  return graph.nodes.flatMap((node) =>
    (getNodeDefinition(node.kind)?.flowFields ?? []).flatMap((field) => {
      const flowId = node.config[field];
      return typeof flowId === "string" && flowId ? [{ nodeId: node.id, field, flowId }] : [];
    }),
  );
}

interface CalledFlow {
  name: string;
  /** The flows its published version calls; null when it has no published version. */
  calls: string[] | null;
}

export async function checkFlowCalls(prisma: Pick<PrismaClient, "flow">, workspaceId: string, flow: { id: string; name: string }, graph: FlowGraph): Promise<FlowIssue[]> {
  const calls = flowCalls(graph);
  if (calls.length === 0) return [];
  const known = new Map<string, CalledFlow | undefined>();
  // Loads flows breadth first, one query per level; only this workspace's flows are ever read.
  const load = async (ids: string[]) => {
    const missing = [...new Set(ids)].filter((id) => !known.has(id) && id !== flow.id);
    if (missing.length === 0) return;
    const rows = await prisma.flow.findMany({ where: { workspaceId, id: { in: missing } }, select: { id: true, name: true, activeVersion: { select: { graph: true } } } });
    for (const id of missing) known.set(id, undefined);
    for (const row of rows) {
      const version = row.activeVersion ? parseFlowGraph(row.activeVersion.graph) : null;
      known.set(row.id, { name: row.name, calls: version ? flowCalls(version).map((call) => call.flowId) : null });
    }
  };

  const issues: FlowIssue[] = [];
  await load(calls.map((call) => call.flowId));
  for (const call of calls) {
    const target = known.get(call.flowId);
    const where = { nodeId: call.nodeId, field: call.field };
    if (call.flowId === flow.id) {
      issues.push({ ...where, message: `Node "${call.nodeId}" calls this flow itself: flows must not call each other in a cycle` });
    } else if (!target) {
      issues.push({ ...where, message: `Node "${call.nodeId}" calls flow ${call.flowId}, which does not exist in this workspace` });
    } else if (!target.calls) {
      issues.push({ ...where, message: `Node "${call.nodeId}" calls flow "${target.name}", which is not published yet: publish it first` });
    } else {
      const cycle = await findPathBack(call.flowId, flow, known, load);
      if (cycle) issues.push({ ...where, message: `Node "${call.nodeId}" calls flow "${target.name}", which leads back to this flow: ${[flow.name, ...cycle].join(" → ")}. Flows must not call each other in a cycle` });
    }
  }
  return issues;
}

/** The names along a chain of published calls from `start` back to `flow`, or null when there is none. */
async function findPathBack(start: string, flow: { id: string; name: string }, known: Map<string, CalledFlow | undefined>, load: (ids: string[]) => Promise<void>): Promise<string[] | null> {
  const cameFrom = new Map<string, string | null>([[start, null]]);
  let level = [start];
  while (level.length) {
    await load(level.flatMap((id) => known.get(id)?.calls ?? []));
    const next: string[] = [];
    for (const id of level) {
      for (const callee of known.get(id)?.calls ?? []) {
        if (callee === flow.id) {
          const names = [flow.name];
          for (let at: string | null = id; at; at = cameFrom.get(at) ?? null) names.unshift(known.get(at)?.name ?? at);
          return names;
        }
        if (!cameFrom.has(callee)) {
          cameFrom.set(callee, id);
          next.push(callee);
        }
      }
    }
    level = next;
  }
  return null;
}
