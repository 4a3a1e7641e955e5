// Workspace-wide settings an admin can change: name, retention, and the hosts outbound steps may
// reach even though they resolve to internal addresses (the SSRF guard's explicit exceptions).
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { operatorAllowlist } from "@/lib/net/host-allowlist";

const allowedHostEntry = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^(\*\.)?[a-z0-9.:[\]-]+(\/\d{1,3})?$/, "Use a host name (api.internal), a wildcard (*.corp.example) or an IP range (10.0.0.0/8)");

export const updateWorkspaceSettingsInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100).optional(),
  retentionDays: z.number().int().min(1).max(3650).optional().describe("Days to keep finished runs (with their steps) and webhook deliveries (deliveries at least 3); queued, running and waiting runs are kept"),
  allowedHosts: z
    .array(allowedHostEntry)
    .max(100)
    .superRefine((entries, ctx) => {
      // The operator bounds what any workspace may open (SWITCHYARD_ALLOWED_INTERNAL_HOSTS).
      const operator = operatorAllowlist();
      for (const [index, entry] of entries.entries()) {
        if (operator.covers(entry)) continue;
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: operator.isEmpty
            ? `"${entry}" cannot be allowed: this instance's operator allows no internal hosts (SWITCHYARD_ALLOWED_INTERNAL_HOSTS is empty)`
            : `"${entry}" is outside what this instance's operator allows (SWITCHYARD_ALLOWED_INTERNAL_HOSTS)`,
        });
      }
    })
    .optional(),
});
export type UpdateWorkspaceSettingsInput = z.infer<typeof updateWorkspaceSettingsInput>;

const select = { id: true, name: true, slug: true, retentionDays: true, allowedHosts: true, createdAt: true } as const;

export function getWorkspaceSettings(prisma: PrismaClient, workspaceId: string) {
  return prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select });
}

export function updateWorkspaceSettings(prisma: PrismaClient, workspaceId: string, input: UpdateWorkspaceSettingsInput) {
  const allowedHosts = input.allowedHosts ? [...new Set(input.allowedHosts)] : undefined;
  return prisma.workspace.update({ where: { id: workspaceId }, data: { ...input, allowedHosts }, select });
}
