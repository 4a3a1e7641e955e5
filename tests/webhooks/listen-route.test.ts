// GET /api/v1/endpoints/:endpointId/listen ("Listen for a test event"): the route's own stream.
import { afterAll, beforeAll, expect, it } from "vitest";
import * as listenRoute from "@/app/api/v1/endpoints/[endpointId]/listen/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { createRowId } from "@/lib/db/ids";
import { BASE, bindApp } from "../helpers/api";
import { describeEachDatabase, type TestDatabase } from "../helpers/databases";
import { createFixture, post, startHookServer, type Fixture, type HookServer } from "./hook-fixtures";

/** An owner of the fixture's workspace and an API key of theirs. */
async function ownerKey(db: TestDatabase, workspaceId: string): Promise<string> {
  const userId = createRowId();
  await db.prisma.user.create({ data: { id: userId, name: "Owner", email: `owner-${userId}@example.com` } });
  await db.prisma.membership.create({ data: { id: createRowId(), workspaceId, userId, role: "owner" } });
  return (await createApiKey(db.prisma, { workspaceId, userId, name: "listen" })).key;
}

function listen(endpointId: string, key: string, signal?: AbortSignal) {
  const req = new Request(`${BASE}/api/v1/endpoints/${endpointId}/listen`, { headers: { authorization: `Bearer ${key}` }, signal });
  return listenRoute.GET(req, { params: Promise.resolve({ endpointId }) });
}

/** Reads Server-Sent Events from a stream, one `{ event, data }` at a time (comments skipped). */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  return {
    async next(): Promise<{ event: string; data: any } | "closed"> { // eslint-disable-line @typescript-eslint/no-explicit-any -- arbitrary JSON
      for (;;) {
        const end = buffered.indexOf("\n\n");
        if (end >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (block.startsWith(":")) continue;
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
          return { event, data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") };
        }
        const { value, done } = await reader.read();
        if (done) return "closed";
        buffered += decoder.decode(value, { stream: true });
      }
    },
  };
}

describeEachDatabase("listen route", (getDb) => {
  let server: HookServer;
  let fixture: Fixture;
  let key: string;
  beforeAll(async () => {
    bindApp(getDb());
    server = await startHookServer(getDb());
    fixture = await createFixture(getDb(), "webhook_trigger", { authScheme: "bearer", secret: "tok-123456" });
    key = await ownerKey(getDb(), fixture.workspaceId);
  });
  afterAll(async () => {
    await server.close();
  });

  it("streams each request to its endpoint as an event, accepted or refused, until the client leaves", async () => {
    const client = new AbortController();
    const res = await listen(fixture.endpointId, key, client.signal);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = eventReader(res.body!);
    expect(await events.next()).toMatchObject({ event: "ready", data: { endpointId: fixture.endpointId } });

    const accepted = await post(server, fixture.token, '{"n":1}', { authorization: "Bearer tok-123456" });
    expect(await events.next()).toEqual({
      event: "delivery",
      data: expect.objectContaining({ id: accepted.json.deliveryId, verdict: "accepted", responseStatus: 202, runId: accepted.json.runId }),
    });
    await post(server, fixture.token, '{"n":2}', { authorization: "Bearer wrong" });
    expect(await events.next()).toEqual({
      event: "delivery",
      data: expect.objectContaining({ verdict: "rejected", responseStatus: 401, reason: "unauthorized", runId: null }),
    });

    client.abort();
    expect(await events.next()).toBe("closed");
  });

  it("answers 404 for another workspace's endpoint", async () => {
    const other = await createFixture(getDb());
    const otherKey = await ownerKey(getDb(), other.workspaceId);
    expect((await listen(fixture.endpointId, otherKey)).status).toBe(404);
  });
});
