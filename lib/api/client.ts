// Browser-side calls to /api/v1 with the session cookie; errors come back as the API's JSON error.

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; error: { code: string; message: string; details?: unknown } };

export async function apiFetch<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? "GET",
      // Every write declares JSON: the API refuses cookie-authenticated writes that do not (CSRF).
      headers: options.body === undefined && (options.method ?? "GET") === "GET" ? undefined : { "content-type": "application/json" },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    return { ok: false, status: 0, error: { code: "network_error", message: "Could not reach the server. Check your connection and try again." } };
  }
  const text = await res.text();
  const json = text ? safeParse(text) : null;
  if (res.ok) return { ok: true, data: json as T };
  const error = (json as { error?: { code: string; message: string } } | null)?.error;
  return { ok: false, status: res.status, error: error ?? { code: "http_error", message: `The server answered ${res.status}` } };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
