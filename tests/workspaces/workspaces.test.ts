import { afterEach, expect, it, onTestFinished } from "vitest";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as flowRoute from "@/app/api/v1/flows/[flowId]/route";
import * as apiKeysRoute from "@/app/api/v1/api-keys/route";
import * as apiKeyRoute from "@/app/api/v1/api-keys/[keyId]/route";
import * as meRoute from "@/app/api/v1/me/route";
import type { Auth } from "@/lib/auth/auth";
import { BASE, bindApp, call, sessionCookie, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";

afterEach(() => {
  delete process.env.SIGNUP_MODE;
});

async function trySignUp(auth: Auth, email: string) {
  return auth.handler(
    new Request(`${BASE}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ email, password: "correct horse battery", name: "Someone" }),
    }),
  );
}

describeEachDatabase("accounts, workspaces and roles", (getDb) => {
  let auth: Auth;
  let owner = "";
  let ownerFlowId = "";

  it("makes the first user the owner of the first workspace", async () => {
    auth = bindApp(getDb());
    owner = await signUp(auth, "first@example.com");
    const me = await call(meRoute.GET, { cookie: owner });
    expect(me.body).toMatchObject({ role: "owner", via: "session" });
    const workspace = await getDb().prisma.workspace.findUniqueOrThrow({ where: { id: me.body.workspaceId } });
    expect(workspace.name).toBe("My workspace");
    ownerFlowId = (await call(flowsRoute.POST, { method: "POST", cookie: owner, body: { name: "Owner's flow" } })).body.id;
  });

  it("refuses later sign-ups without an invitation and says why", async () => {
    const res = await trySignUp(auth, "stranger@example.com");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("invite-only");
    expect(await getDb().prisma.user.count({ where: { email: "stranger@example.com" } })).toBe(0);
  });

  it("lets an invited viewer join, read, and change nothing", async () => {
    const invitation = await auth.api.createInvitation({
      headers: new Headers({ cookie: owner }),
      body: { email: "viewer@example.com", role: "viewer" },
    });
    const viewer = await signUp(auth, "viewer@example.com");
    // Invitees have no workspace until they accept.
    expect((await call(meRoute.GET, { cookie: viewer })).status).toBe(403);
    const accepted = await auth.api.acceptInvitation({
      headers: new Headers({ cookie: viewer }),
      body: { invitationId: invitation.id },
      asResponse: true,
    });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    const viewerCookie = [viewer, sessionCookie(accepted)].filter(Boolean).join("; ");

    const me = await call(meRoute.GET, { cookie: viewerCookie });
    expect(me.body.role).toBe("viewer");
    const list = await call(flowsRoute.GET, { cookie: viewerCookie });
    expect(list.body.flows.map((f: { name: string }) => f.name)).toEqual(["Owner's flow"]);

    const create = await call(flowsRoute.POST, { method: "POST", cookie: viewerCookie, body: { name: "Nope" } });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe("forbidden");
    const del = await call(flowRoute.DELETE, { method: "DELETE", cookie: viewerCookie, params: { flowId: ownerFlowId } });
    expect(del.status).toBe(403);
    expect(await getDb().prisma.flow.count({ where: { id: ownerFlowId } })).toBe(1);
    expect((await call(apiKeysRoute.POST, { method: "POST", cookie: viewerCookie, body: { name: "k" } })).status).toBe(403);
  });

  it("keeps another workspace's flows invisible and untouchable", async () => {
    process.env.SIGNUP_MODE = "open";
    const other = await signUp(auth, "other@example.com");
    expect((await call(meRoute.GET, { cookie: other })).body.role).toBe("owner");
    expect((await call(flowsRoute.GET, { cookie: other })).body.flows).toEqual([]);
    expect((await call(flowRoute.GET, { cookie: other, params: { flowId: ownerFlowId } })).status).toBe(404);
    const patch = await call(flowRoute.PATCH, { method: "PATCH", cookie: other, params: { flowId: ownerFlowId }, body: { name: "Hijacked" } });
    expect(patch.status).toBe(404);
    expect((await call(flowRoute.DELETE, { method: "DELETE", cookie: other, params: { flowId: ownerFlowId } })).status).toBe(404);
    const flow = await getDb().prisma.flow.findUniqueOrThrow({ where: { id: ownerFlowId } });
    expect(flow.name).toBe("Owner's flow");
  });

  it("authenticates API keys as Bearer tokens, shows them once, and honours revocation", async () => {
    const created = await call(apiKeysRoute.POST, { method: "POST", cookie: owner, body: { name: "CI deploys" } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^sy_/);

    const listed = await call(apiKeysRoute.GET, { cookie: owner });
    expect(listed.body.apiKeys).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify(await getDb().prisma.apiKey.findMany())).not.toContain(key);

    const viaKey = await call(flowsRoute.GET, { bearer: key });
    expect(viaKey.status).toBe(200);
    expect(viaKey.body.flows.map((f: { name: string }) => f.name)).toEqual(["Owner's flow"]);

    expect((await call(flowsRoute.GET, { bearer: `${key}x` })).body.error.code).toBe("invalid_api_key");

    await call(apiKeyRoute.DELETE, { method: "DELETE", cookie: owner, params: { keyId: created.body.apiKey.id } });
    const revoked = await call(flowsRoute.GET, { bearer: key });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe("invalid_api_key");
  });
});

describeEachDatabase("workspace settings", (getDb) => {
  it("lets an owner allow internal hosts and rejects malformed entries", async () => {
    const workspaceRoute = await import("@/app/api/v1/workspace/route");
    const owner = await signUp(bindApp(getDb()), "settings@example.com");
    // Within the operator's bound (SWITCHYARD_ALLOWED_INTERNAL_HOSTS; instance-bounds.test.ts covers beyond it).
    const bound = process.env.SWITCHYARD_ALLOWED_INTERNAL_HOSTS;
    process.env.SWITCHYARD_ALLOWED_INTERNAL_HOSTS = "127.0.0.1, *.corp.example, 10.0.0.0/8";
    onTestFinished(() => {
      process.env.SWITCHYARD_ALLOWED_INTERNAL_HOSTS = bound;
    });
    const saved = await call(workspaceRoute.PATCH, { method: "PATCH", cookie: owner, body: { allowedHosts: ["127.0.0.1", "*.corp.example", "10.0.0.0/8", "127.0.0.1"], retentionDays: 7 } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ allowedHosts: ["127.0.0.1", "*.corp.example", "10.0.0.0/8"], retentionDays: 7 });
    const bad = await call(workspaceRoute.PATCH, { method: "PATCH", cookie: owner, body: { allowedHosts: ["http://x/y"] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/allowedHosts\.0: Use a host name/);
  });
});
