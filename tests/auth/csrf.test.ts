// Cookie-authenticated writes to /api/v1 must come from the app itself, as JSON (issue 15, item 6).
import { expect, it } from "vitest";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as workspaceRoute from "@/app/api/v1/workspace/route";
import type { Auth } from "@/lib/auth/auth";
import { createApiKey } from "@/lib/auth/api-keys";
import { bindApp, call, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";

describeEachDatabase("CSRF on cookie-authenticated /api/v1 writes", (getDb) => {
  let auth: Auth;
  let cookie = "";
  const flowCount = () => getDb().prisma.flow.count();

  it("refuses a cross-origin text/plain POST that would create a flow", async () => {
    auth = bindApp(getDb());
    cookie = await signUp(auth, "owner@example.com");
    const res = await call(flowsRoute.POST, {
      method: "POST",
      cookie,
      rawBody: JSON.stringify({ name: "Planted" }),
      headers: { origin: "https://evil.example", "content-type": "text/plain;charset=UTF-8" },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("cross_origin_request");
    expect(await flowCount()).toBe(0);
  });

  it("refuses a cross-origin JSON PATCH of the workspace's allowed internal hosts", async () => {
    const res = await call(workspaceRoute.PATCH, {
      method: "PATCH",
      cookie,
      body: { allowedHosts: ["169.254.169.254"] },
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
    const me = await call(workspaceRoute.GET, { cookie });
    expect(me.body.allowedHosts).toEqual([]);
  });

  it("refuses a write with a cookie and neither Origin nor Sec-Fetch-Site", async () => {
    const res = await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "No origin" }, headers: { origin: null } });
    expect(res.status).toBe(403);
    expect(await flowCount()).toBe(0);
  });

  it("refuses a same-origin write that is not declared JSON", async () => {
    const res = await call(flowsRoute.POST, {
      method: "POST",
      cookie,
      rawBody: JSON.stringify({ name: "Form" }),
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(415);
    expect(await flowCount()).toBe(0);
  });

  it("accepts the app's own JSON writes, by Origin or by Sec-Fetch-Site", async () => {
    expect((await call(flowsRoute.POST, { method: "POST", cookie, body: { name: "Mine" } })).status).toBe(201);
    const bySite = await call(flowsRoute.POST, {
      method: "POST",
      cookie,
      body: { name: "Mine too" },
      headers: { origin: null, "sec-fetch-site": "same-origin" },
    });
    expect(bySite.status).toBe(201);
    expect(await flowCount()).toBe(2);
  });

  it("leaves reads with a cookie and every API-key request alone", async () => {
    expect((await call(flowsRoute.GET, { cookie, headers: { origin: "https://evil.example" } })).status).toBe(200);
    const user = await getDb().prisma.user.findFirstOrThrow();
    const membership = await getDb().prisma.membership.findFirstOrThrow({ where: { userId: user.id } });
    const { key } = await createApiKey(getDb().prisma, { workspaceId: membership.workspaceId, userId: user.id, name: "script" });
    const res = await call(flowsRoute.POST, { method: "POST", bearer: key, body: { name: "From a script" }, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(201);
  });
});
