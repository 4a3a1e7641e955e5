import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { keyValueListSchema } from "../shared/key-value";
import { DEFAULT_RETRY_POLICY, retryOverrideSchema } from "../shared/retry-policy";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** "200-299", "200,201,204", "2xx" … */
export const statusRangesSchema = z
  .string()
  .regex(/^\s*(\d{3}|[1-5]xx)(\s*-\s*\d{3})?(\s*,\s*(\d{3}|[1-5]xx)(\s*-\s*\d{3})?)*\s*$/, 'Use status codes and ranges such as "200-299" or "200,201,404"')
  .default("200-299")
  .describe("Statuses that count as success, e.g. 200-299 or 200,404");

export const httpRequestConfigSchema = z.object({
  method: z.enum(HTTP_METHODS).default("POST").describe("HTTP method"),
  url: z.string().min(1, "URL is required").describe("URL, e.g. https://api.example.com/leads (expressions allowed)"),
  headers: keyValueListSchema("Header"),
  query: keyValueListSchema("Query parameter"),
  authCredentialId: z.string().optional().describe("Authentication credential (API key header, bearer token or basic auth)"),
  bodyType: z.enum(["none", "json", "form", "raw"]).default("json").describe("Body format"),
  jsonBody: z.unknown().optional().describe("JSON body: an object whose values may be expressions, or one expression such as {{ trigger.body }}"),
  formBody: keyValueListSchema("Form field"),
  rawBody: z.string().default("").describe("Raw body text"),
  rawContentType: z.string().default("text/plain").describe("Content-Type of the raw body"),
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000).describe("Timeout (ms)"),
  expectedStatuses: statusRangesSchema,
  followRedirects: z.boolean().default(true).describe("Follow redirects (each target is checked like the first)"),
  responseFormat: z.enum(["auto", "json", "text"]).default("auto").describe("Parse the response: auto (JSON when it is JSON), json or text"),
  sendIdempotencyKey: z.boolean().default(true).describe("Send an Idempotency-Key header (run id + node id) so a retried step is not a repeated effect"),
  signingCredentialId: z.string().optional().describe("Sign the body with Standard Webhooks (webhook-id/timestamp/signature headers)"),
  retry: retryOverrideSchema,
});

export type HttpRequestConfig = z.output<typeof httpRequestConfigSchema>;

export const httpRequestDefinition = defineNode({
  kind: "http_request",
  title: "HTTP request",
  description: "Call any HTTP API: method, URL, headers, query, JSON/form/raw body; JSON responses are parsed.",
  category: "http",
  icon: "Globe",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: false,
  configSchema: httpRequestConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: DEFAULT_RETRY_POLICY,
  credentialFields: { authCredentialId: ["http_header", "bearer_token", "basic_auth"], signingCredentialId: ["webhook_signing"] },
  summarize: (config) => `${config.method} ${config.url}`,
  fieldSyntax: { expectedStatuses: "literal", rawContentType: "literal" },
  destination: { urlField: "url" },
  outputExample: () => ({ status: 200, headers: { "content-type": "application/json" }, body: {} }),
});
