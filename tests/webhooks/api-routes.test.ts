import { expect, it } from "vitest";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as flowRoute from "@/app/api/v1/flows/[flowId]/route";
import * as endpointsRoute from "@/app/api/v1/endpoints/route";
import * as endpointRoute from "@/app/api/v1/endpoints/[endpointId]/route";
import * as rotateTokenRoute from "@/app/api/v1/endpoints/[endpointId]/rotate-token/route";
import * as rotateSecretRoute from "@/app/api/v1/endpoints/[endpointId]/rotate-secret/route";
import * as disableRoute from "@/app/api/v1/endpoints/[endpointId]/disable/route";
import * as deliveriesRoute from "@/app/api/v1/deliveries/route";
import * as deliveryRoute from "@/app/api/v1/deliveries/[deliveryId]/route";
import { bindApp, call, signUp } from "../helpers/api";
import { describeEachDatabase } from "../helpers/databases";
import { createFixture } from "./hook-fixtures";

const graph = {
  nodes: [{ id: "pay", kind: "payment_trigger", name: "Stripe", config: {}, position: { x: 0, y: 0 } }],
  edges: [],
};

describeEachDatabase("endpoints and deliveries API", (getDb) => {
  it("manages the endpoint a saved trigger node gets, scoped to the caller's workspace", async () => {
    const auth = bindApp(getDb());
    const owner = await signUp(auth, "hooks-owner@example.com");
    const elsewhere = await createFixture(getDb()); // another workspace's endpoint
    const flow = await call(flowsRoute.POST, { method: "POST", cookie: owner, body: { name: "Payments" } });
    const flowId = flow.body.id as string;
    expect((await call(flowRoute.PATCH, { method: "PATCH", cookie: owner, params: { flowId }, body: { graph, revision: 0 } })).status).toBe(200);

    const list = await call(endpointsRoute.GET, { cookie: owner, path: `/api/v1/endpoints?flowId=${flowId}` });
    expect(list.status).toBe(200);
    expect(list.body.endpoints).toHaveLength(1);
    const endpoint = list.body.endpoints[0];
    expect(endpoint).toMatchObject({ nodeId: "pay", preset: "payment", authScheme: "stripe", hasSecret: true, enabled: true });
    expect(endpoint).not.toHaveProperty("secretEncrypted");
    const endpointId = endpoint.id as string;

    expect((await call(endpointsRoute.GET, { cookie: owner })).body.endpoints.map((e: { id: string }) => e.id)).toEqual([endpointId]);
    expect((await call(endpointRoute.GET, { cookie: owner, params: { endpointId: elsewhere.endpointId } })).status).toBe(404);
    expect((await call(rotateTokenRoute.POST, { method: "POST", cookie: owner, params: { endpointId: elsewhere.endpointId } })).status).toBe(404);

    const bad = await call(endpointRoute.PATCH, { method: "PATCH", cookie: owner, params: { endpointId }, body: { syncTimeoutMs: 99_000 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    const patched = await call(endpointRoute.PATCH, { method: "PATCH", cookie: owner, params: { endpointId }, body: { responseMode: "sync", syncTimeoutMs: 5000 } });
    expect(patched.body.endpoint).toMatchObject({ responseMode: "sync", syncTimeoutMs: 5000 });

    const rotated = await call(rotateTokenRoute.POST, { method: "POST", cookie: owner, params: { endpointId } });
    expect(rotated.body.url).not.toBe(endpoint.url);
    const secret = await call(rotateSecretRoute.POST, { method: "POST", cookie: owner, params: { endpointId }, body: { secret: "whsec_from_stripe_dashboard", graceHours: 2 } });
    expect(secret.body).toMatchObject({ secret: "whsec_from_stripe_dashboard", endpoint: { hasSecret: true } });
    expect((await call(disableRoute.POST, { method: "POST", cookie: owner, params: { endpointId } })).body).toMatchObject({ enabled: false, disabledReason: "user" });

    const deliveries = await call(deliveriesRoute.GET, { cookie: owner, path: `/api/v1/deliveries?endpointId=${endpointId}&limit=10` });
    expect(deliveries.body).toEqual({ deliveries: [], nextCursor: null });
    expect((await call(deliveriesRoute.GET, { cookie: owner, path: "/api/v1/deliveries?verdict=maybe" })).status).toBe(400);
    expect((await call(deliveryRoute.GET, { cookie: owner, params: { deliveryId: "nope" } })).status).toBe(404);
  });
});
