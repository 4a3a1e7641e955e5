import { Prisma, type PrismaClient } from "@/lib/db/generated/client";
import { secretBox } from "@/lib/crypto/secret-box";
import type { FlowGraph } from "@/lib/flows/graph";
import { invalidateEndpointCache } from "../ingress/endpoint-cache";
import { createRowId } from "@/lib/db/ids";
import { createEndpointToken, createSigningSecret } from "./endpoint-secrets";
import { isTriggerNodeKind, presetDefaults, TRIGGER_PRESETS } from "./presets";
import { schemeNeedsSecret } from "../ingress/verify-auth";

type Tx = PrismaClient | Prisma.TransactionClient;

/**
 * Gives every trigger node of a flow's graph its endpoint and disables the endpoints whose
 * trigger node left the graph. Called whenever a flow's draft graph is saved, inside the
 * caller's transaction. A node that comes back re-enables its old endpoint (same URL).
 */
export async function syncFlowEndpoints(
  tx: Tx,
  { workspaceId, flowId, graph }: { workspaceId: string; flowId: string; graph: FlowGraph },
): Promise<void> {
  const triggerNodes = graph.nodes.filter((node) => isTriggerNodeKind(node.kind));
  const existing = await tx.endpoint.findMany({
    where: { workspaceId, flowId },
    select: { id: true, nodeId: true, enabled: true, preset: true, disabledReason: true, secretEncrypted: true },
  });
  const byNode = new Map(existing.map((e) => [e.nodeId, e]));
  const nodeIds = new Set(triggerNodes.map((n) => n.id));
  let changed = false;

  for (const node of triggerNodes) {
    const preset = TRIGGER_PRESETS[node.kind as keyof typeof TRIGGER_PRESETS];
    const current = byNode.get(node.id);
    if (current) {
      const revive = !current.enabled && current.disabledReason === "node_removed";
      if (current.preset !== preset) {
        // The node changed kind (e.g. generic → payment): same URL, the new preset's configuration.
        const defaults = presetDefaults(preset);
        await tx.endpoint.update({
          where: { id: current.id },
          data: {
            preset,
            authScheme: defaults.authScheme,
            authConfig: defaults.authConfig as Prisma.InputJsonValue,
            ...(schemeNeedsSecret(defaults.authScheme) && !current.secretEncrypted ? { secretEncrypted: secretBox().encrypt(createSigningSecret()) } : {}),
            dedupe: defaults.dedupe ?? Prisma.DbNull,
            settings: defaults.settings as unknown as Prisma.InputJsonValue,
            ...(revive ? { enabled: true, disabledReason: null } : {}),
          },
        });
        changed = true;
      } else if (revive) {
        // Only endpoints this function disabled (node removed) come back on their own.
        await tx.endpoint.update({ where: { id: current.id }, data: { enabled: true, disabledReason: null } });
        changed = true;
      }
      continue;
    }
    const defaults = presetDefaults(preset);
    await tx.endpoint.create({
      data: {
        id: createRowId(),
        workspaceId,
        flowId,
        nodeId: node.id,
        token: createEndpointToken(),
        preset,
        authScheme: defaults.authScheme,
        authConfig: defaults.authConfig as Prisma.InputJsonValue,
        secretEncrypted: schemeNeedsSecret(defaults.authScheme) ? secretBox().encrypt(createSigningSecret()) : null,
        dedupe: (defaults.dedupe ?? undefined) as Prisma.InputJsonValue | undefined,
        settings: defaults.settings as unknown as Prisma.InputJsonValue,
      },
    });
    changed = true;
  }

  const orphaned = existing.filter((e) => !nodeIds.has(e.nodeId) && e.enabled);
  if (orphaned.length) {
    await tx.endpoint.updateMany({
      where: { workspaceId, flowId, id: { in: orphaned.map((e) => e.id) } },
      data: { enabled: false, disabledReason: "node_removed" },
    });
    changed = true;
  }
  if (changed) invalidateEndpointCache();
}
