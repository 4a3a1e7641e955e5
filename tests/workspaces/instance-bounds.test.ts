// What only the instance's operator and admins decide (issue 15, item 7): in invite-only mode only
// instance admins create workspaces, and no workspace can allow internal hosts beyond
// SWITCHYARD_ALLOWED_INTERNAL_HOSTS.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as workspaceRoute from "@/app/api/v1/workspace/route";
import type { Auth } from "@/lib/auth/auth";
import { BlockedDestinationError, guardedRequest } from "@/lib/net/guarded-request";
import { assertHostAllowed } from "@/lib/net/assert-host-allowed";
import { BASE, bindApp, call, sessionCookie, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";
import { startTestServer, type TestServer } from "../helpers/flows-and-receivers";

const OPERATOR_ENV = "SWITCHYARD_ALLOWED_INTERNAL_HOSTS";
const testDefault = process.env[OPERATOR_ENV];
afterEach(() => {
  process.env[OPERATOR_ENV] = testDefault;
});

describeEachDatabase("creating workspaces in invite-only mode", (getDb) => {
  let auth: Auth;
  let owner = "";

  async function createWorkspace(cookie: string, name: string) {
    return auth.handler(
      new Request(`${BASE}/api/auth/organization/create`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE, cookie },
        body: JSON.stringify({ name, slug: name.toLowerCase().replace(/\W+/g, "-") }),
      }),
    );
  }

  async function invite(email: string, role: "viewer" | "admin") {
    const invitation = await auth.api.createInvitation({ headers: new Headers({ cookie: owner }), body: { email, role } });
    const cookie = await signUp(auth, email);
    const accepted = await auth.api.acceptInvitation({ headers: new Headers({ cookie }), body: { invitationId: invitation.id }, asResponse: true });
    expect(accepted.status).toBe(200);
    return [cookie, sessionCookie(accepted)].filter(Boolean).join("; ");
  }

  it("refuses a workspace to an invited viewer", async () => {
    auth = bindApp(getDb());
    owner = await signUp(auth, "first@example.com");
    const viewer = await invite("viewer@example.com", "viewer");
    const res = await createWorkspace(viewer, "Viewer Corp");
    expect(res.status).toBe(403);
    expect(await getDb().prisma.workspace.count({ where: { name: "Viewer Corp" } })).toBe(0);
  });

  it("lets the first user, and admins they chose, create workspaces", async () => {
    // Invited first: creating a workspace makes it the owner's active one.
    const admin = await invite("admin@example.com", "admin");
    const byOwner = await createWorkspace(owner, "Second team");
    expect(byOwner.status, await byOwner.clone().text()).toBe(200);
    const byAdmin = await createWorkspace(admin, "Third team");
    expect(byAdmin.status, await byAdmin.clone().text()).toBe(200);
    expect(await getDb().prisma.workspace.count()).toBe(3);
  });

  it("refuses allowed internal hosts beyond the operator's bound, naming the setting", async () => {
    delete process.env[OPERATOR_ENV];
    const refused = await call(workspaceRoute.PATCH, { method: "PATCH", cookie: owner, body: { allowedHosts: ["10.0.0.0/8", "169.254.169.254"] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("SWITCHYARD_ALLOWED_INTERNAL_HOSTS");

    process.env[OPERATOR_ENV] = "10.1.0.0/16, hooks.internal";
    expect((await call(workspaceRoute.PATCH, { method: "PATCH", cookie: owner, body: { allowedHosts: ["10.0.0.0/8"] } })).status).toBe(400);
    const within = await call(workspaceRoute.PATCH, { method: "PATCH", cookie: owner, body: { allowedHosts: ["10.1.2.0/24", "hooks.internal"] } });
    expect(within.status).toBe(200);
    expect(within.body.allowedHosts).toEqual(["10.1.2.0/24", "hooks.internal"]);
  });
});

describe("the operator's bound on internal hosts at connect time", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(() => ({ status: 200, body: { ok: true } }));
  });
  afterAll(() => server.close());

  it("blocks what a workspace allows when the operator allows nothing (the default)", async () => {
    delete process.env[OPERATOR_ENV];
    const error = await guardedRequest({ method: "GET", url: `${server.url}/x`, allowedHosts: ["127.0.0.1", "127.0.0.0/8"] }).catch((e) => e);
    expect(error).toBeInstanceOf(BlockedDestinationError);
    await expect(assertHostAllowed("127.0.0.1", ["127.0.0.1"])).rejects.toThrow(/loopback/);
    expect(server.requests).toHaveLength(0);
  });

  it("connects when both the operator and the workspace allow the destination", async () => {
    process.env[OPERATOR_ENV] = "127.0.0.0/8";
    expect((await guardedRequest({ method: "GET", url: `${server.url}/x`, allowedHosts: ["127.0.0.1"] })).status).toBe(200);
    // The operator alone opens nothing: the workspace must allow it too.
    await expect(guardedRequest({ method: "GET", url: `${server.url}/y`, allowedHosts: [] })).rejects.toThrow(BlockedDestinationError);
  });
});
