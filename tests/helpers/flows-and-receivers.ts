// Test helpers for the runtime suites: a loopback HTTP server that records requests, and
// seeding of workspaces, flows, versions and runs.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { PrismaClient } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { FlowGraph } from "@/lib/flows/graph";

// secretBox() reads the key from the environment; tests must never write a key file.
process.env.SWITCHYARD_SECRET_KEY ??= "a".repeat(64);

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Responder = (request: ReceivedRequest, index: number) => { status?: number; headers?: Record<string, string>; body?: string | object };

export interface TestServer {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1; answers 200 {"ok":true} unless told otherwise. */
export async function startTestServer(responder?: Responder): Promise<TestServer> {
  let current: Responder = responder ?? (() => ({ status: 200, body: { ok: true } }));
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(received);
      let answer: ReturnType<Responder>;
      try {
        answer = current(received, requests.length - 1);
      } catch (error) {
        answer = { status: 500, body: { testServerError: String(error) } };
      }
      const isJson = typeof answer.body === "object";
      res.writeHead(answer.status ?? 200, { ...(isJson ? { "content-type": "application/json" } : {}), ...(answer.headers ?? {}) });
      res.end(isJson ? JSON.stringify(answer.body) : (answer.body ?? ""));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    respond(next) {
      current = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${(counter++).toString(36)}`;

export async function seedWorkspace(prisma: PrismaClient, options: { allowedHosts?: string[] } = {}) {
  const id = uniqueId("ws");
  return prisma.workspace.create({ data: { id, name: id, slug: id, allowedHosts: options.allowedHosts ?? ["127.0.0.1"] } });
}

/** A flow with its graph published as version 1 and activated. */
export async function seedPublishedFlow(prisma: PrismaClient, workspaceId: string, graph: FlowGraph, settings: object = {}) {
  const flow = await prisma.flow.create({
    data: { workspaceId, name: uniqueId("flow"), draftGraph: graph as unknown as Prisma.InputJsonValue, settings: settings as Prisma.InputJsonValue, status: "active" },
  });
  const version = await prisma.flowVersion.create({ data: { flowId: flow.id, workspaceId, version: 1, graph: graph as unknown as Prisma.InputJsonValue } });
  await prisma.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  return { flow, version };
}

export const triggerNode = (id = "trigger", kind = "webhook_trigger") => ({ id, kind, name: "Trigger", config: {}, position: { x: 0, y: 0 } });

export function node(id: string, kind: string, config: Record<string, unknown>) {
  return { id, kind, name: id, config, position: { x: 0, y: 0 } };
}

export function edge(source: string, target: string, sourcePort = "out") {
  return { id: `${source}-${sourcePort}-${target}`, source, sourcePort, target };
}
