// POST /api/v1/workspace/check-destination: the SSRF guard's verdict on a step's destination, before publishing.
import { expect, it } from "vitest";
import * as checkRoute from "@/app/api/v1/workspace/check-destination/route";
import * as credentialsRoute from "@/app/api/v1/credentials/route";
import * as workspaceRoute from "@/app/api/v1/workspace/route";
import { staticHost } from "@/lib/net/check-destination";
import { bindApp, call, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";

const check = (cookie: string, body: unknown) => call(checkRoute.POST, { method: "POST", cookie, body });

describeEachDatabase("checking a step's destination ahead of a run", (getDb) => {
  let owner = "";

  it("calls a loopback or private URL blocked until the workspace allows it, and a public one reachable", async () => {
    owner = await signUp(bindApp(getDb()), "dest-owner@example.com");
    expect((await check(owner, { url: "http://127.0.0.1:4000/leads" })).body).toEqual({ status: "blocked", host: "127.0.0.1", address: "127.0.0.1", reason: "loopback", operatorAllows: true });
    // 10/8 is outside what this test instance's operator allows (SWITCHYARD_ALLOWED_INTERNAL_HOSTS), so allowing it is not the workspace's to give.
    expect((await check(owner, { url: "https://10.1.2.3/x" })).body).toMatchObject({ status: "blocked", reason: "private", operatorAllows: false });
    expect((await check(owner, { url: "https://93.184.215.14/x?y={{ trigger.body.id }}" })).body).toEqual({ status: "reachable", host: "93.184.215.14" });
    expect((await check(owner, { url: "{{ trigger.body.callbackUrl }}" })).body).toEqual({ status: "unknown", host: null });

    expect((await call(workspaceRoute.PATCH, { method: "PATCH", cookie: owner, body: { allowedHosts: ["127.0.0.1"] } })).status).toBe(200);
    expect((await check(owner, { url: "http://127.0.0.1:4000/leads" })).body).toEqual({ status: "reachable", host: "127.0.0.1" });
  });

  it("checks the host inside a credential without answering the credential's secret URL", async () => {
    expect((await call(workspaceRoute.PATCH, { method: "PATCH", cookie: owner, body: { allowedHosts: [] } })).status).toBe(200);
    const slack = await call(credentialsRoute.POST, { method: "POST", cookie: owner, body: { name: "Ops channel", type: "slack_webhook", data: { url: "http://localhost:9/services/T000/B000/SECRET" } } });
    expect(slack.status).toBe(201);
    const answer = await check(owner, { credentialId: slack.body.id });
    expect(answer.body).toMatchObject({ status: "blocked", host: "localhost", reason: "loopback" });
    expect(JSON.stringify(answer.body)).not.toContain("SECRET");
    expect((await check(owner, { credentialId: "nope" })).status).toBe(404);
    expect((await check(owner, {})).status).toBe(400);
  });
});

it("reads the host of a URL unless an expression decides it", () => {
  expect(staticHost("https://api.example.com/v1/{{ trigger.body.id }}")).toBe("api.example.com");
  expect(staticHost("https://{{ trigger.body.host }}/v1")).toBeNull();
  expect(staticHost("https://[::1]:8080/")).toBe("::1");
  expect(staticHost("ftp://example.com/")).toBeNull();
  expect(staticHost("not a url")).toBeNull();
});
