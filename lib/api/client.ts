// Browser-side calls to /api/v1 with the session cookie; errors come back as the API's JSON error.
// Answers are checked against the response schema they claim to follow (lib/*/…-responses.ts).
import type { z } from "zod";

export type ApiErrorBody = { code: string; message: string; details?: unknown };
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ApiErrorBody };

type Options = { method?: string; body?: unknown };

export function apiFetch(path: string, options?: Options): Promise<ApiResult<unknown>>;
export function apiFetch<S extends z.ZodType>(path: string, options: Options & { schema: S }): Promise<ApiResult<z.output<S>>>;
export async function apiFetch(path: string, options: Options & { schema?: z.ZodType } = {}): Promise<ApiResult<unknown>> {
  const method = options.method ?? "GET";
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      // Every write declares JSON: the API refuses cookie-authenticated writes that do not (CSRF).
      headers: options.body === undefined && method === "GET" ? undefined : { "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    return { ok: false, status: 0, error: { code: "network_error", message: "Could not reach the server. Check your connection and try again." } };
  }
  const text = await res.text();
  const json = text ? safeParse(text) : null;
  if (!res.ok) {
    const error = (json as { error?: ApiErrorBody } | null)?.error;
    return { ok: false, status: res.status, error: error ?? { code: "http_error", message: `The server answered ${res.status}` } };
  }
  if (!options.schema) return { ok: true, data: json };
  const parsed = options.schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, status: res.status, error: unexpectedShape(method, path, parsed.error) };
}

/** An API call that failed: thrown by fetchJson, so data hooks (lib/api/use-api.ts) see it as their error. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiErrorBody,
  ) {
    super(error.message);
    this.name = "ApiRequestError";
  }
}

/** GETs `path` and returns its answer checked against `schema`; throws ApiRequestError otherwise. */
export async function fetchJson<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  const result = await apiFetch(path, { schema });
  if (!result.ok) throw new ApiRequestError(result.status, result.error);
  return result.data;
}

// The server and this page disagree (usually a page loaded before a deploy): say so, with the first field that differs.
function unexpectedShape(method: string, path: string, error: z.ZodError): ApiErrorBody {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "the answer";
  return {
    code: "unexpected_response",
    message: `${method} ${path.split("?")[0]} answered in a shape this page does not expect (${where}: ${issue?.message ?? "invalid"}). Reload the page; if it persists, the server and the app are out of step.`,
    details: error.issues,
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
