// One execution request to the app's serve endpoint, in the format the Inngest SDK expects.
import http from "node:http";
import https from "node:https";
import { canonicalJson, signatureHeader } from "./sign-request";

export type StepState = { data: unknown } | { error: unknown };

export interface CallInput {
  url: string;
  stepId: string;
  runId: string;
  attempt: number;
  maxAttempts: number;
  /** Once a run went parallel the SDK must plan steps, never run one inline. */
  disableImmediateExecution: boolean;
  event: unknown;
  /** Memoized steps in completion order. */
  steps: [string, StepState][];
  /**
   * Set to let the SDK run several steps in this one request, storing each through the engine's
   * checkpoint API (POST <prefix>/v1/checkpoint/<runId>/async) as it completes.
   */
  checkpoint?: { functionId: string; jobId: string };
}

export interface OutgoingOp {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown>;
  data?: unknown;
  error?: unknown;
}

export type CallResult =
  | { kind: "complete"; output: unknown }
  | { kind: "ops"; ops: OutgoingOp[]; noRetry: boolean; retryAfter: string | null }
  | { kind: "error"; error: unknown; noRetry: boolean; retryAfter: string | null };

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 256 }), https: new https.Agent({ keepAlive: true }) };

/** The SDK serve handler as a fetch-style function in this process: the engine then calls it without HTTP. */
export type InProcessServe = (request: Request) => Promise<Response>;

interface Answer {
  status: number;
  header(name: string): string | undefined;
  text: string;
}

export async function callServe(input: CallInput, signingKey: string, timeoutMs = 300_000, inProcess?: InProcessServe): Promise<CallResult> {
  const url = new URL(input.url);
  url.searchParams.set("stepId", input.stepId);
  const body = canonicalJson({
    event: input.event,
    events: [input.event],
    steps: Object.fromEntries(
      input.steps.map(([id, state]) => [id, "error" in state ? { type: "error", error: state.error } : { type: "data", data: state.data }]),
    ),
    ctx: {
      run_id: input.runId,
      attempt: input.attempt,
      max_attempts: input.maxAttempts,
      disable_immediate_execution: input.disableImmediateExecution,
      use_api: false,
      ...(input.checkpoint ? { fn_id: input.checkpoint.functionId, qi_id: input.checkpoint.jobId } : {}),
      stack: { stack: input.steps.map(([id]) => id), current: input.steps.length },
    },
    version: 2,
  });
  const signature = signatureHeader(body, signingKey);
  const { status, header, text } = inProcess ? await dispatch(inProcess, url, body, signature) : await post(url, body, signature, timeoutMs);
  const noRetry = header("x-inngest-no-retry") === "true";
  const retryAfter = header("retry-after") ?? null;
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (status === 200) return { kind: "complete", output: parsed };
  if (status === 206) {
    const ops = (Array.isArray(parsed) ? parsed : [parsed]) as OutgoingOp[];
    return { kind: "ops", ops, noRetry, retryAfter };
  }
  const error =
    parsed && typeof parsed === "object" ? parsed : { name: "Error", message: `Serve endpoint answered HTTP ${status}: ${String(text).slice(0, 500)}` };
  // Inngest retries any failed request unless the SDK said not to (NonRetriableError, last attempt).
  return { kind: "error", error, noRetry: noRetry || (status === 400 && header("x-inngest-no-retry") !== "false"), retryAfter };
}

const requestHeaders = (body: string, signature: string) => ({
  "content-type": "application/json",
  "content-length": String(Buffer.byteLength(body)),
  "x-inngest-signature": signature,
  "x-inngest-server-kind": "cloud",
});

async function dispatch(serve: InProcessServe, url: URL, body: string, signature: string): Promise<Answer> {
  // The SDK's fetch adapter resolves the request URL against https://<host header>.
  const response = await serve(new Request(url, { method: "POST", headers: { ...requestHeaders(body, signature), host: url.host }, body }));
  return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, text: await response.text() };
}

function post(url: URL, body: string, signature: string, timeoutMs: number) {
  return new Promise<Answer>((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      {
        method: "POST",
        agent: url.protocol === "https:" ? agents.https : agents.http,
        headers: requestHeaders(body, signature),
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            header: (name) => response.headers[name] as string | undefined,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`Serve endpoint did not answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}
