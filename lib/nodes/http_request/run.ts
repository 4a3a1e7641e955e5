// Server-only: the HTTP request node.
import { Webhook } from "standardwebhooks";
import { NodeError, type NodeRunner } from "../node-runner";
import type { KeyValueList } from "../shared/key-value";
import { sendOutbound } from "../shared/send-outbound";
import type { HttpRequestConfig } from "./definition";

// Step outputs travel through the engine's state; Inngest caps a step's output at 4 MB.
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

export const httpRequestRunner: NodeRunner<HttpRequestConfig> = {
  async run(ctx) {
    const { config } = ctx;
    const url = buildUrl(String(config.url ?? ""), config.query as KeyValueList);
    const headers: Record<string, string> = {};
    for (const { name, value } of config.headers as KeyValueList) headers[name] = toText(value);

    let body: string | undefined;
    if (config.bodyType === "json" && config.jsonBody !== undefined && !["GET", "HEAD"].includes(config.method)) {
      body = typeof config.jsonBody === "string" ? config.jsonBody : JSON.stringify(config.jsonBody);
      setDefaultHeader(headers, "content-type", "application/json");
    } else if (config.bodyType === "form") {
      body = new URLSearchParams((config.formBody as KeyValueList).map(({ name, value }) => [name, toText(value)])).toString();
      setDefaultHeader(headers, "content-type", "application/x-www-form-urlencoded");
    } else if (config.bodyType === "raw") {
      body = toText(config.rawBody);
      setDefaultHeader(headers, "content-type", config.rawContentType);
    }

    if (config.sendIdempotencyKey) setDefaultHeader(headers, "idempotency-key", ctx.idempotencyKey);
    if (config.authCredentialId) {
      const auth = await ctx.getCredential(config.authCredentialId, ["http_header", "bearer_token", "basic_auth"] as const);
      if ("token" in auth) headers.authorization = `Bearer ${auth.token}`;
      else if ("username" in auth) headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
      else headers[auth.name] = auth.value;
    }
    if (config.signingCredentialId) {
      const { secret } = await ctx.getCredential(config.signingCredentialId, ["webhook_signing"] as const);
      const timestamp = new Date();
      let signature: string;
      try {
        signature = new Webhook(secret).sign(ctx.idempotencyKey, timestamp, body ?? "");
      } catch (error) {
        throw new NodeError(`Signing secret is not a valid Standard Webhooks secret: ${(error as Error).message}`, { retryable: false });
      }
      headers["webhook-id"] = ctx.idempotencyKey;
      headers["webhook-timestamp"] = String(Math.floor(timestamp.getTime() / 1000));
      headers["webhook-signature"] = signature;
    }

    const { response, body: responseBody } = await sendOutbound(
      ctx,
      { method: config.method, url, headers, body, timeoutMs: config.timeoutMs, maxRedirects: config.followRedirects ? 5 : 0, maxResponseBytes: MAX_RESPONSE_BYTES },
      { expectedStatuses: config.expectedStatuses, responseFormat: config.responseFormat },
    );
    return {
      output: { status: response.status, headers: response.headers, body: responseBody, ...(response.bodyTruncated ? { bodyTruncated: true } : {}) },
    };
  },
};

function buildUrl(raw: string, query: KeyValueList): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new NodeError(`"${raw}" is not a valid URL (include https://)`, { retryable: false, code: "invalid_url" });
  }
  for (const { name, value } of query) url.searchParams.append(name, toText(value));
  return url.toString();
}

function setDefaultHeader(headers: Record<string, string>, name: string, value: string) {
  if (!Object.keys(headers).some((key) => key.toLowerCase() === name)) headers[name] = value;
}

function toText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
}
