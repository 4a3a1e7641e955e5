import type { Database } from "@/lib/db";

export type SyncResult =
  | { kind: "response"; status: number; headers: Record<string, string>; body: unknown }
  | { kind: "timeout" };

const FINISHED = new Set(["succeeded", "failed", "cancelled", "skipped"]);
// Headers a flow may not set on the webhook response (they belong to the connection or to us).
const FORBIDDEN_HEADERS = /^(connection|content-length|transfer-encoding|keep-alive|upgrade|set-cookie|host)$/i;

/**
 * Synchronous response mode: waits up to `timeoutMs` for the run's Respond node
 * (`output.response = { status, body, headers }`) or its end, polling the Run row.
 */
export async function waitForRunResponse(db: Database, runId: string, timeoutMs: number): Promise<SyncResult> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  for (;;) {
    const run = await db.prisma.run.findUnique({ where: { id: runId }, select: { status: true, output: true, error: true } });
    const output = run?.output as { response?: { status?: unknown; body?: unknown; headers?: unknown } } | null | undefined;
    if (output && typeof output === "object" && output.response && typeof output.response === "object") {
      return toResponse(output.response);
    }
    if (run && FINISHED.has(run.status)) {
      if (run.status === "succeeded") return { kind: "response", status: 200, headers: {}, body: run.output ?? null };
      const message = (run.error as { message?: string } | null)?.message ?? `The run ended with status ${run.status}.`;
      return { kind: "response", status: 500, headers: {}, body: { error: { code: `run_${run.status}`, message }, runId } };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { kind: "timeout" };
    await new Promise((r) => setTimeout(r, Math.min(delay, left)));
    delay = Math.min(250, delay * 2);
  }
}

function toResponse(response: { status?: unknown; body?: unknown; headers?: unknown }): SyncResult {
  const status = typeof response.status === "number" && response.status >= 200 && response.status <= 599 ? Math.trunc(response.status) : 200;
  const headers: Record<string, string> = {};
  if (response.headers && typeof response.headers === "object") {
    for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) {
      if (!FORBIDDEN_HEADERS.test(name) && /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) && typeof value === "string" && !/[\r\n]/.test(value)) {
        headers[name.toLowerCase()] = value;
      }
    }
  }
  return { kind: "response", status, headers, body: response.body ?? null };
}
