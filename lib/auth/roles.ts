// Workspace roles and what each may do. Client-safe (no server imports).

export const WORKSPACE_ROLES = ["owner", "admin", "editor", "viewer"] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/** read: see everything; write: change flows, endpoints, credentials, runs; manage: members, API keys, workspace settings. */
export type Permission = "read" | "write" | "manage";

const GRANTS: Record<WorkspaceRole, readonly Permission[]> = {
  owner: ["read", "write", "manage"],
  admin: ["read", "write", "manage"],
  editor: ["read", "write"],
  viewer: ["read"],
};

export function isWorkspaceRole(value: unknown): value is WorkspaceRole {
  return typeof value === "string" && (WORKSPACE_ROLES as readonly string[]).includes(value);
}

export function roleCan(role: string, permission: Permission): boolean {
  return isWorkspaceRole(role) && GRANTS[role].includes(permission);
}
