// REQUEST_TIMEOUT_MS is enforced on time (issue 15, item 3): a real server process started the way
// server.ts starts (node:http with the app's timeout options), real slow senders over raw sockets.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { createFixture } from "./hook-fixtures";
import { startServerProcess, type RunningServer } from "./support/processes";

// Far above the 1 s limit under test, far below Node's default 30 s sweep and the old fixed 30 s body timeout.
const PATIENCE_MS = 10_000;

/** Opens a socket, sends `head`, then one byte of `trickle` every 100 ms; answers what came back once the server hung up (or null if it had not after PATIENCE_MS). */
function slowSender(url: string, head: string, trickle = ""): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    let sent = 0;
    const dribble = setInterval(() => {
      if (sent < trickle.length && socket.writable) socket.write(trickle[sent++]);
    }, 100);
    const giveUp = setTimeout(() => {
      clearInterval(dribble);
      socket.destroy();
      resolve(null);
    }, PATIENCE_MS);
    socket.on("connect", () => socket.write(head));
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
    socket.on("close", () => {
      clearInterval(dribble);
      clearTimeout(giveUp);
      resolve(received);
    });
  });
}

describe("REQUEST_TIMEOUT_MS=1000 (stand-alone webhook server, server.ts's timeout wiring)", () => {
  let db: TestDatabase;
  let server: RunningServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServerProcess("tests/webhooks/support/serve-hooks.ts", { DATABASE_URL: db.url, REQUEST_TIMEOUT_MS: "1000" });
  }, 120_000);
  afterAll(async () => {
    await server?.kill("SIGTERM");
    await db?.destroy();
  });

  it("cuts off a sender that trickles its body, with the handler's 408 body_timeout, stored as a refused delivery", async () => {
    const f = await createFixture(db);
    const body = JSON.stringify({ order: 42, note: "x".repeat(200) });
    const head = `POST /api/hooks/${f.token} HTTP/1.1\r\nHost: hooks.test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    // One byte every 100 ms: never idle, but the whole body would take 21 s.
    const answer = await slowSender(server.url, head, body);
    expect(answer, "the server did not hang up on the slow sender").not.toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer!.slice(answer!.indexOf("\r\n\r\n") + 4)).error.code).toBe("body_timeout");

    const stored = await until(() => db.prisma.webhookDelivery.findFirst({ where: { endpointId: f.endpointId } }), "the stored refusal");
    expect(stored).toMatchObject({ verdict: "rejected", responseStatus: 408, reason: "body_timeout", sizeBytes: body.length });
    expect(await db.prisma.run.count({ where: { workspaceId: f.workspaceId } })).toBe(0);
  });

  it("cuts off a sender that never finishes its headers", async () => {
    const answer = await slowSender(server.url, "POST /api/hooks/whatever HTTP/1.1\r\nHost: hooks.test\r\n", "X-Slow: ".padEnd(300, "y"));
    expect(answer, "the server did not hang up on the slow sender").not.toBeNull();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});
