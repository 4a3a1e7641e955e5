// Server-only: synchronous response mode. The sender waits for the run's first Respond node:
// its output in the run log ({ status, headers, body }, lib/nodes/respond/run.ts) is the answer.
import type { SqlQuery } from "@/lib/db/client";
import { DEFAULT_VALUE_CAP_BYTES } from "./prepare-for-storage";
import { isFinishedRunStatus } from "./run-statuses";

export interface SyncResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type SyncResponseState =
  | { state: "pending" }
  | { state: "ready"; response: SyncResponse }
  /** The run finished without reaching a Respond node (or failed, or is not in this workspace). */
  | { state: "finished"; runStatus: string; error: unknown };

// Headers a flow may not set on the webhook response (they belong to the connection or to us).
const FORBIDDEN_HEADERS = /^(connection|content-length|transfer-encoding|keep-alive|upgrade|set-cookie|host)$/i;
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** The run and its first succeeded Respond step, in one statement. */
const READ = `SELECT r.status::text AS status, r.error, s.output AS response, s.truncated
  FROM "Run" r
  LEFT JOIN LATERAL (
    SELECT output, truncated FROM "RunStep"
     WHERE "runId" = r.id AND "nodeKind" = 'respond' AND status = 'succeeded'
     ORDER BY "finishedAt" LIMIT 1) s ON true
  WHERE r.id = $1 AND r."workspaceId" = $2`;

export async function getSyncResponse(db: { query: SqlQuery }, input: { workspaceId: string; runId: string }): Promise<SyncResponseState> {
  const [row] = await db.query<{ status: string; error: unknown; response: unknown; truncated: boolean | null }>(READ, [input.runId, input.workspaceId], { preparedAs: "sync_response" });
  if (!row) return { state: "finished", runStatus: "missing", error: { message: "Run not found" } };
  if (row.truncated) {
    // The run log keeps a preview of values over its cap, not the value.
    const limit = `${DEFAULT_VALUE_CAP_BYTES / 1024} KiB`;
    return { state: "ready", response: { status: 500, headers: {}, body: { error: { code: "response_too_large", message: `The Respond step's response is larger than ${limit}, the most a synchronous response can carry.` } } } };
  }
  if (row.response && typeof row.response === "object") return { state: "ready", response: toResponse(row.response as Partial<Record<keyof SyncResponse, unknown>>) };
  if (isFinishedRunStatus(row.status)) return { state: "finished", runStatus: row.status, error: row.error };
  return { state: "pending" };
}

/** Polls (25 ms doubling to 250 ms) until the response is ready, the run ends, or the timeout passes. */
export async function waitForSyncResponse(db: { query: SqlQuery }, input: { workspaceId: string; runId: string; timeoutMs: number }): Promise<SyncResponseState> {
  const deadline = Date.now() + input.timeoutMs;
  let delay = 25;
  for (;;) {
    const state = await getSyncResponse(db, input);
    const left = deadline - Date.now();
    if (state.state !== "pending" || left <= 0) return state;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    delay = Math.min(250, delay * 2);
  }
}

function toResponse(response: Partial<Record<keyof SyncResponse, unknown>>): SyncResponse {
  const status = typeof response.status === "number" && response.status >= 200 && response.status <= 599 ? Math.trunc(response.status) : 200;
  const headers: Record<string, string> = {};
  if (response.headers && typeof response.headers === "object") {
    for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) {
      if (!FORBIDDEN_HEADERS.test(name) && TOKEN.test(name) && typeof value === "string" && !/[\r\n]/.test(value)) headers[name.toLowerCase()] = value;
    }
  }
  return { status, headers, body: response.body ?? null };
}
