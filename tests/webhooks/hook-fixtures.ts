// Shared set-up for the webhook tests: a workspace with an active flow whose trigger node has an
// endpoint, and a real node:http server on loopback running the webhook handler.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@/lib/db";
import { asJson } from "@/lib/db/json";
import type { Prisma } from "@/lib/db/generated/client";
import type { FlowGraph } from "@/lib/flows/graph";
import { secretBox } from "@/lib/crypto/secret-box";
import { invalidateEndpointCache } from "@/lib/webhooks/ingress/endpoint-cache";
import { createHookHandler, type HookHandlerDeps } from "@/lib/webhooks/ingress/http-handler";
import { createRowId } from "@/lib/db/ids";
import { syncFlowEndpoints } from "@/lib/webhooks/endpoints/sync-endpoints";

process.env.SWITCHYARD_SECRET_KEY ??= "a".repeat(64);

export interface Fixture {
  workspaceId: string;
  flowId: string;
  versionId: string;
  endpointId: string;
  token: string;
}

/**
 * A workspace with an active flow whose `kind` trigger node owns an endpoint, optionally
 * reconfigured; `steps` are further nodes and edges of the flow (the trigger's id is "trigger").
 */
export async function createFixture(
  db: Database,
  kind = "webhook_trigger",
  endpoint: Prisma.EndpointUpdateInput & { secret?: string } = {},
  steps: Pick<FlowGraph, "nodes" | "edges"> = { nodes: [], edges: [] },
): Promise<Fixture> {
  const workspaceId = createRowId();
  await db.prisma.workspace.create({ data: { id: workspaceId, name: "Acme", slug: `acme-${workspaceId}` } });
  const graph: FlowGraph = { nodes: [{ id: "trigger", kind, name: "Trigger", config: {}, position: { x: 0, y: 0 } }, ...steps.nodes], edges: steps.edges };
  const flow = await db.prisma.flow.create({ data: { workspaceId, name: "Orders", draftGraph: asJson(graph), status: "active" } });
  const version = await db.prisma.flowVersion.create({ data: { flowId: flow.id, workspaceId, version: 1, graph: asJson(graph) } });
  await db.prisma.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  await syncFlowEndpoints(db.prisma, { workspaceId, flowId: flow.id, graph });
  const { secret, ...changes } = endpoint;
  const row = await db.prisma.endpoint.update({
    where: { flowId_nodeId: { flowId: flow.id, nodeId: "trigger" } },
    data: { ...changes, ...(secret !== undefined ? { secretEncrypted: secretBox().encrypt(secret) } : {}) },
  });
  invalidateEndpointCache();
  return { workspaceId, flowId: flow.id, versionId: version.id, endpointId: row.id, token: row.token };
}

export interface HookServer {
  url: string;
  close(): Promise<void>;
}

/** Starts a loopback node:http server that sends /api/hooks/* to the handler and 404s the rest. */
export async function startHookServer(db: Database, deps: Partial<HookHandlerDeps> = {}): Promise<HookServer> {
  const handler = createHookHandler({ getDb: async () => db, publicUrl: "https://switchyard.test", ...deps });
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith("/api/hooks/")) void handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function post(server: HookServer, token: string, body: string | Buffer, headers: Record<string, string> = {}, method = "POST") {
  const res = await fetch(`${server.url}/api/hooks/${token}`, {
    method,
    body: method === "GET" || method === "HEAD" ? undefined : typeof body === "string" ? body : new Uint8Array(body),
    headers: { "content-type": "application/json", ...headers },
    redirect: "manual",
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json: (json ?? {}) as HookAnswer };
}

export interface HookAnswer {
  error?: { code: string; message: string };
  deliveryId?: string;
  runId?: string | null;
  statusUrl?: string | null;
  duplicate?: boolean;
  ignored?: boolean;
  challenge?: string;
  ok?: boolean;
  [key: string]: unknown;
}
