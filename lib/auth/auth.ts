// Better Auth: email + password accounts, sessions, and workspaces (its organization plugin,
// stored in our Workspace/Membership/Invitation tables).
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { organization } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, memberAc, ownerAc } from "better-auth/plugins/organization/access";
import { publicUrl } from "@/lib/config/server-settings";
import { secretBox } from "@/lib/crypto/secret-box";
import { getDatabase, type Database } from "@/lib/db";
import { processSlot } from "@/lib/process-singletons";
import { CLIENT_ADDRESS_HEADER } from "./client-address";
import { mayCreateWorkspace, needsOwnWorkspace, refuseSignup } from "./signup-policy";
import { slugify } from "./slugify";
import { trustedOrigins } from "./trusted-origins";

// The organization plugin checks its own permissions when inviting and changing members;
// editors and viewers get none of those.
const ac = createAccessControl(defaultStatements);
const roles = {
  owner: ac.newRole(ownerAc.statements),
  admin: ac.newRole(adminAc.statements),
  editor: ac.newRole(memberAc.statements),
  viewer: ac.newRole(memberAc.statements),
};

export interface AuthOptions {
  /** Better Auth rate-limits sign-in and sign-up in production only unless told otherwise (tests). */
  rateLimit?: boolean;
}

export function createAuth(db: Database, options: AuthOptions = {}) {
  const prisma = db.prisma;
  const baseURL = publicUrl();
  return betterAuth({
    appName: "Switchyard",
    baseURL,
    secret: secretBox().deriveKey("better-auth").toString("hex"),
    trustedOrigins: trustedOrigins(),
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    ...(options.rateLimit === undefined ? {} : { rateLimit: { enabled: options.rateLimit } }),
    // The address server.ts resolved from the socket, never the client's own X-Forwarded-For.
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
      // Session cookies only travel over TLS when the app is served over https.
      useSecureCookies: baseURL.startsWith("https://"),
    },
    user: {
      validateUserInfo: async ({ user, source }) => {
        if (source.action !== "create-user") return;
        const refusal = await refuseSignup(prisma, String(user.email ?? ""));
        if (refusal) return { error: "signup_closed", errorDescription: refusal };
      },
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            if ((await needsOwnWorkspace(prisma, user.email)) && !(await hasMembership(db, user.id))) {
              const name = (await prisma.workspace.count()) === 0 ? "My workspace" : `${user.name || "My"}'s workspace`;
              const workspace = await prisma.workspace.create({
                data: {
                  id: randomUUID(),
                  name,
                  slug: `${slugify(name)}-${randomUUID().slice(0, 8)}`,
                  memberships: { create: { id: randomUUID(), userId: user.id, role: "owner" } },
                },
              });
              // Better Auth may create the sign-up session before this hook runs.
              await prisma.session.updateMany({
                where: { userId: user.id, activeWorkspaceId: null },
                data: { activeWorkspaceId: workspace.id },
              });
            }
          },
        },
      },
      session: {
        create: {
          // A new session starts in the user's first workspace.
          before: async (session) => {
            const membership = await prisma.membership.findFirst({
              where: { userId: session.userId },
              orderBy: { createdAt: "asc" },
            });
            return { data: { ...session, activeOrganizationId: membership?.workspaceId ?? null } };
          },
        },
      },
    },
    plugins: [
      organization({
        ac,
        roles,
        creatorRole: "owner",
        // Otherwise any invited member could make a workspace of their own and own its settings.
        allowUserToCreateOrganization: (user) => mayCreateWorkspace(prisma, user.id),
        invitationExpiresIn: 7 * 24 * 3600,
        // No mail server is required: the UI shows the invitation link to copy.
        sendInvitationEmail: async () => {},
        schema: {
          session: { fields: { activeOrganizationId: "activeWorkspaceId" } },
          organization: { modelName: "workspace" },
          member: { modelName: "membership", fields: { organizationId: "workspaceId" } },
          invitation: { fields: { organizationId: "workspaceId" } },
        },
      }),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const processAuth = processSlot<Promise<Auth>>("auth");

/** The process's Better Auth instance (bound to the process database). */
export function getAuth(): Promise<Auth> {
  processAuth.value ??= getDatabase().then(createAuth);
  return processAuth.value;
}

/** Tests bind auth to their own database. */
export function setProcessAuth(auth: Auth | undefined): void {
  processAuth.value = auth ? Promise.resolve(auth) : undefined;
}

async function hasMembership(db: Database, userId: string) {
  return (await db.prisma.membership.count({ where: { userId } })) > 0;
}
