// The OpenAPI 3.1 document served at /api/v1/openapi.json. Request bodies come from the same zod
// schemas the routes parse with, and responses from the schemas the server serialises through and
// the browser checks answers with (lib/*/…-responses.ts), so the document cannot drift from either.
import { z } from "zod";
import { apiKeyListSchema, createdApiKeySchema } from "@/lib/auth/api-key-responses";
import { credentialListSchema, credentialSummarySchema } from "@/lib/credentials/credential-responses";
import { flowListSchema, flowSchema, flowVersionListSchema, publishedFlowSchema } from "@/lib/flows/flow-responses";
import { destinationCheckSchema } from "@/lib/net/destination-check";
import { runListSchema, runMetricsSchema, runWithStepsSchema, startedRunSchema } from "@/lib/runs/run-responses";
import { deliveryDetailSchema, deliveryListSchema, keptSampleSchema, replayedDeliverySchema } from "@/lib/webhooks/deliveries/delivery-responses";
import { endpointListSchema, endpointViewSchema, updatedEndpointSchema } from "@/lib/webhooks/endpoints/endpoint-input";
import { timestamp } from "./timestamp";
import { createFlowInput, listFlowsQuery, publishFlowInput, updateFlowInput } from "@/lib/flows/flow-schemas";
import { flowGraphSchema } from "@/lib/flows/graph";
import { createCredentialInput, listCredentialsQuery, updateCredentialInput } from "@/lib/credentials/credential-inputs";
import { listRunsQuery } from "@/lib/runs/query-runs";
import { listDeliveriesQuery } from "@/lib/webhooks/deliveries/manage-deliveries";
import { listEndpointsQuery, rotateSecretInput, updateEndpointInput } from "@/lib/webhooks/endpoints/manage-endpoints";
import { updateWorkspaceSettingsInput } from "@/lib/workspaces/workspace-settings";
import { approvalInput, bulkReplayInput, dismissRunsInput, replayInput, sendEventInput, startRunBody, startRunQuery } from "@/lib/runs/run-inputs";
import { metricsQuery } from "@/lib/runs/run-metrics";
import { checkDestinationInput } from "@/lib/net/check-destination";

type Operation = {
  summary: string;
  tags: string[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};

// Query dates are coerced from ISO strings; JSON Schema has no Date, so describe them as strings.
const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      if ((ctx.zodSchema as { _zod?: { def?: { type?: string } } })._zod?.def?.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  });
const json = (schema: z.ZodType) => ({ content: { "application/json": { schema: jsonSchema(schema) } } });
// Responses as the server sends them (output): a timestamp is its ISO string.
const responseJsonSchema = (schema: z.ZodType) => {
  const generated: Record<string, unknown> = z.toJSONSchema(schema, {
    io: "output",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema !== timestamp) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
      Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  });
  delete generated.$schema; // the document states its dialect once
  return generated;
};
const RESPONSES = {
  Flow: flowSchema,
  FlowList: flowListSchema,
  PublishedFlow: publishedFlowSchema,
  FlowVersionList: flowVersionListSchema,
  Run: runWithStepsSchema,
  RunList: runListSchema,
  StartedRun: startedRunSchema,
  Metrics: runMetricsSchema,
  Credential: credentialSummarySchema,
  CredentialList: credentialListSchema,
  ApiKeyList: apiKeyListSchema,
  CreatedApiKey: createdApiKeySchema,
  Endpoint: endpointViewSchema,
  EndpointList: endpointListSchema,
  UpdatedEndpoint: updatedEndpointSchema,
  DeliveryList: deliveryListSchema,
  Delivery: deliveryDetailSchema,
  ReplayedDelivery: replayedDeliverySchema,
  KeptSample: keptSampleSchema,
  DestinationCheck: destinationCheckSchema,
} satisfies Record<string, z.ZodType>;
const ref = (name: keyof typeof RESPONSES | "Error") => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: ERROR_TEXT[code], ...ref("Error") }]));
const ERROR_TEXT: Record<number, string> = {
  400: "Invalid input (validation_failed, invalid_json)",
  401: "No session or API key",
  403: "Your role does not allow this",
  404: "Not found in your workspace",
  409: "Conflict (stale draft revision, not published)",
  422: "The flow cannot be published",
};
const pathParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });
const queryParams = (schema: z.ZodObject) =>
  Object.entries(schema.shape).map(([name, s]) => ({ name, in: "query", required: false, schema: jsonSchema(s as z.ZodType) }));

const flowTag = ["Flows"];
const paths: Record<string, Record<string, Operation>> = {
  "/flows": {
    get: { summary: "List flows", tags: flowTag, parameters: queryParams(listFlowsQuery), responses: { 200: { description: "Flows", ...ref("FlowList") }, ...errors(401) } },
    post: { summary: "Create a flow", tags: flowTag, requestBody: json(createFlowInput), responses: { 201: { description: "Created", ...ref("Flow") }, ...errors(400, 401, 403) } },
  },
  "/flows/{flowId}": {
    get: { summary: "Get a flow with its draft graph", tags: flowTag, parameters: [pathParam("flowId")], responses: { 200: { description: "Flow", ...ref("Flow") }, ...errors(401, 404) } },
    patch: {
      summary: "Update name, description or draft graph (send the draftRevision you loaded)",
      tags: flowTag,
      parameters: [pathParam("flowId")],
      requestBody: json(updateFlowInput),
      responses: { 200: { description: "Updated", ...ref("Flow") }, ...errors(400, 401, 403, 404, 409) },
    },
    delete: { summary: "Delete a flow", tags: flowTag, parameters: [pathParam("flowId")], responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404) } },
  },
  "/flows/{flowId}/publish": {
    post: { summary: "Publish the draft as a new immutable version", tags: flowTag, parameters: [pathParam("flowId")], requestBody: json(publishFlowInput), responses: { 201: { description: "The flow, the new version, and warnings: expression paths the trigger's sample or a step's last output does not have; they do not stop publishing", ...ref("PublishedFlow") }, ...errors(401, 403, 404, 422) } },
  },
  "/flows/{flowId}/activate": {
    post: { summary: "Activate (triggers start runs)", tags: flowTag, parameters: [pathParam("flowId")], responses: { 200: { description: "Flow", ...ref("Flow") }, ...errors(401, 403, 404, 409) } },
  },
  "/flows/{flowId}/pause": {
    post: { summary: "Pause (triggers start no runs)", tags: flowTag, parameters: [pathParam("flowId")], responses: { 200: { description: "Flow", ...ref("Flow") }, ...errors(401, 403, 404) } },
  },
  "/flows/{flowId}/versions": {
    get: { summary: "List published versions", tags: flowTag, parameters: [pathParam("flowId")], responses: { 200: { description: "Versions", ...ref("FlowVersionList") }, ...errors(401, 404) } },
  },
  "/flows/{flowId}/versions/{versionId}/restore": {
    post: { summary: "Make a published version the draft again (send the draftRevision you loaded)", tags: flowTag, parameters: [pathParam("flowId"), pathParam("versionId")], responses: { 200: { description: "Flow", ...ref("Flow") }, ...errors(400, 401, 403, 404, 409) } },
  },
  "/flows/{flowId}/duplicate": {
    post: { summary: "Copy a flow (draft graph and settings) under a new name", tags: flowTag, parameters: [pathParam("flowId")], responses: { 201: { description: "Flow", ...ref("Flow") }, ...errors(401, 403, 404) } },
  },
  "/flows/{flowId}/export": {
    get: { summary: "Download the flow as JSON (import it with POST /flows)", tags: flowTag, parameters: [pathParam("flowId")], responses: { 200: { description: "Flow export" }, ...errors(401, 404) } },
  },
  "/api-keys": {
    get: { summary: "List API keys (never the keys themselves)", tags: ["API keys"], responses: { 200: { description: "Keys", ...ref("ApiKeyList") }, ...errors(401, 403) } },
    post: { summary: "Create an API key (returned once)", tags: ["API keys"], responses: { 201: { description: "Created", ...ref("CreatedApiKey") }, ...errors(400, 401, 403) } },
  },
  "/api-keys/{keyId}": {
    delete: { summary: "Revoke an API key", tags: ["API keys"], parameters: [pathParam("keyId")], responses: { 204: { description: "Revoked" }, ...errors(401, 403, 404) } },
  },
  "/runs": {
    get: {
      summary: "List runs, newest first (cursor pagination: pass nextCursor as cursor)",
      tags: ["Runs"],
      parameters: queryParams(listRunsQuery),
      responses: { 200: { description: "Runs", ...ref("RunList") }, ...errors(400, 401) },
    },
  },
  "/runs/{runId}": {
    get: { summary: "A run with its steps (every attempt; a step's warnings name expression paths that were empty; its logs are the lines a code step printed; itemIndex names the for_each item a step ran for, null outside loops), trigger request and flow version; parent and childRuns link runs started by call_flow steps", tags: ["Runs"], parameters: [pathParam("runId")], responses: { 200: { description: "Run", ...ref("Run") }, ...errors(401, 404) } },
  },
  "/flows/{flowId}/runs": {
    post: {
      summary: "Run a flow by hand: the published version of a flow with a Manual trigger, with the JSON body as its payload (trigger.body); or, with ?source=draft, a test run of the draft (body: a trigger payload or just a body; empty for the flow's sample)",
      tags: ["Runs"],
      parameters: [pathParam("flowId"), ...queryParams(startRunQuery)],
      requestBody: json(startRunBody),
      responses: {
        201: { description: "Started", ...ref("StartedRun") },
        409: { description: "not_published (publish the flow first) or no_manual_trigger (the published version starts from another trigger)", ...ref("Error") },
        ...errors(400, 401, 403, 404, 422),
      },
    },
  },
  "/runs/{runId}/cancel": {
    post: { summary: "Cancel a queued, running or waiting run", tags: ["Runs"], parameters: [pathParam("runId")], responses: { 200: { description: "Cancelled" }, ...errors(401, 403, 404, 409) } },
  },
  "/runs/{runId}/approval": {
    post: { summary: "Approve or reject the approval step a run waits on", tags: ["Runs"], parameters: [pathParam("runId")], requestBody: json(approvalInput), responses: { 200: { description: "Decided" }, ...errors(400, 401, 403, 404, 409) } },
  },
  "/runs/{runId}/replay": {
    post: { summary: "Replay from the start, or only the failed part reusing succeeded steps", tags: ["Runs"], parameters: [pathParam("runId")], requestBody: json(replayInput), responses: { 201: { description: "Started", ...ref("StartedRun") }, ...errors(400, 401, 403, 404) } },
  },
  "/runs/bulk-replay": {
    post: { summary: "Replay many runs; each result names its new run or its error", tags: ["Runs"], requestBody: json(bulkReplayInput), responses: { 200: { description: "{ results }" }, ...errors(400, 401, 403) } },
  },
  "/runs/dismiss": {
    post: { summary: "Dismiss failed runs from the dead-letter view", tags: ["Runs"], requestBody: json(dismissRunsInput), responses: { 200: { description: "{ dismissed }" }, ...errors(400, 401, 403) } },
  },
  "/events": {
    post: { summary: "Send an event to runs waiting for it (matched by name and correlation key)", tags: ["Runs"], requestBody: json(sendEventInput), responses: { 201: { description: "{ eventId }" }, ...errors(400, 401, 403) } },
  },
  "/credentials": {
    get: { summary: "List credentials (never their secrets)", tags: ["Credentials"], parameters: queryParams(listCredentialsQuery), responses: { 200: { description: "Credentials", ...ref("CredentialList") }, ...errors(401) } },
    post: { summary: "Create a credential (stored encrypted)", tags: ["Credentials"], requestBody: json(createCredentialInput), responses: { 201: { description: "Credential summary", ...ref("Credential") }, ...errors(400, 401, 403) } },
  },
  "/credentials/{credentialId}": {
    patch: { summary: "Rename or replace the secret data", tags: ["Credentials"], parameters: [pathParam("credentialId")], requestBody: json(updateCredentialInput), responses: { 200: { description: "Credential summary", ...ref("Credential") }, ...errors(400, 401, 403, 404) } },
    delete: { summary: "Delete a credential", tags: ["Credentials"], parameters: [pathParam("credentialId")], responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404) } },
  },
  "/metrics": {
    get: { summary: "Run and delivery metrics over a window", tags: ["Metrics"], parameters: queryParams(metricsQuery), responses: { 200: { description: "Metrics", ...ref("Metrics") }, ...errors(400, 401) } },
  },
  "/endpoints": {
    get: { summary: "Inbound webhook endpoints (one per trigger node) with their URLs; secrets are never returned", tags: ["Webhooks"], parameters: queryParams(listEndpointsQuery), responses: { 200: { description: "Endpoints", ...ref("EndpointList") }, ...errors(401) } },
  },
  "/endpoints/{endpointId}": {
    get: { summary: "One endpoint", tags: ["Webhooks"], parameters: [pathParam("endpointId")], responses: { 200: { description: "Endpoint", ...ref("Endpoint") }, ...errors(401, 404) } },
    patch: { summary: "Change auth scheme and its settings, the secret (newSecret: a pasted one, or generated and answered once; the old one kept for graceHours), limits, allowlist, dedupe (and its window), response mode, preset settings", tags: ["Webhooks"], parameters: [pathParam("endpointId")], requestBody: json(updateEndpointInput), responses: { 200: { description: "Endpoint, and the secret if one was generated", ...ref("UpdatedEndpoint") }, ...errors(400, 401, 403, 404) } },
  },
  "/endpoints/{endpointId}/rotate-token": {
    post: { summary: "New URL; the old one answers 410 Gone", tags: ["Webhooks"], parameters: [pathParam("endpointId")], responses: { 200: { description: "Endpoint", ...ref("Endpoint") }, ...errors(401, 403, 404) } },
  },
  "/endpoints/{endpointId}/rotate-secret": {
    post: { summary: "New signing secret (shown once); the previous one stays valid for a grace period", tags: ["Webhooks"], parameters: [pathParam("endpointId")], requestBody: json(rotateSecretInput), responses: { 200: { description: "Endpoint and the new secret" }, ...errors(400, 401, 403, 404) } },
  },
  "/endpoints/{endpointId}/enable": {
    post: { summary: "Accept requests again", tags: ["Webhooks"], parameters: [pathParam("endpointId")], responses: { 200: { description: "Endpoint", ...ref("Endpoint") }, ...errors(401, 403, 404) } },
  },
  "/endpoints/{endpointId}/disable": {
    post: { summary: "Refuse requests (they are still recorded)", tags: ["Webhooks"], parameters: [pathParam("endpointId")], responses: { 200: { description: "Endpoint", ...ref("Endpoint") }, ...errors(401, 403, 404) } },
  },
  "/endpoints/{endpointId}/listen": {
    get: { summary: "Server-sent events: requests as they arrive (Listen for test event); while one is open the endpoint's testUrl captures requests without running them", tags: ["Webhooks"], parameters: [pathParam("endpointId")], responses: { 200: { description: "text/event-stream" }, ...errors(401, 404) } },
  },
  "/deliveries": {
    get: { summary: "Every inbound request with its outcome and reason; filter, search, page", tags: ["Webhooks"], parameters: queryParams(listDeliveriesQuery), responses: { 200: { description: "Deliveries", ...ref("DeliveryList") }, ...errors(400, 401) } },
  },
  "/deliveries/{deliveryId}": {
    get: { summary: "One delivery with headers (secrets redacted) and body", tags: ["Webhooks"], parameters: [pathParam("deliveryId")], responses: { 200: { description: "Delivery", ...ref("Delivery") }, ...errors(401, 404) } },
  },
  "/deliveries/{deliveryId}/replay": {
    post: { summary: "Run the delivery again on the flow's active version", tags: ["Webhooks"], parameters: [pathParam("deliveryId")], responses: { 201: { description: "Started", ...ref("ReplayedDelivery") }, ...errors(401, 403, 404, 422) } },
  },
  "/deliveries/{deliveryId}/keep-as-sample": {
    post: { summary: "Keep the delivery as the flow's sample payload", tags: ["Webhooks"], parameters: [pathParam("deliveryId")], responses: { 200: { description: "Sample", ...ref("KeptSample") }, ...errors(401, 403, 404) } },
  },
  "/workspace": {
    get: { summary: "The caller's workspace settings", tags: ["Workspace"], responses: { 200: { description: "Settings" }, ...errors(401) } },
    patch: { summary: "Change name, retention days, allowed internal hosts (owners and admins)", tags: ["Workspace"], requestBody: json(updateWorkspaceSettingsInput), responses: { 200: { description: "Settings" }, ...errors(400, 401, 403) } },
  },
  "/workspace/check-destination": {
    post: {
      summary: "Whether this workspace's flows may reach a URL or the host in a credential (the SSRF guard's verdict ahead of a run): { status: reachable | blocked | unknown, host, address?, reason?, operatorAllows? }",
      tags: ["Workspace"],
      requestBody: json(checkDestinationInput),
      responses: { 200: { description: "Verdict", ...ref("DestinationCheck") }, ...errors(400, 401, 404) },
    },
  },
  "/alerts": {
    get: { summary: "Failure alerts sent for the workspace's flows", tags: ["Alerts"], responses: { 200: { description: "{ alerts }" }, ...errors(401) } },
  },
  "/me": {
    get: { summary: "The caller, workspace and role", tags: ["Account"], responses: { 200: { description: "Caller" }, ...errors(401) } },
  },
};


export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Switchyard API", version: "1", description: "Flows, webhooks and runs of one workspace. Authenticate with a session cookie or `Authorization: Bearer <API key>`." },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key created under Settings → API keys" },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
            },
          },
        },
        FlowGraph: jsonSchema(flowGraphSchema),
        ...Object.fromEntries(Object.entries(RESPONSES).map(([name, schema]) => [name, responseJsonSchema(schema)])),
      },
    },
  };
}
