// Server-only: sends a request for a node and turns transport failures and unexpected statuses
// into NodeErrors that say whether a retry could help.
import { BlockedDestinationError, OutboundNetworkError, type OutboundRequest, type OutboundResponse } from "@/lib/net/guarded-request";
import { parseRetryAfter } from "@/lib/net/retry-after";
import { NodeError, type NodeRunContext } from "../node-runner";
import { parseResponseBody } from "./response-body";
import { statusMatches } from "./status-ranges";

export async function sendOutbound(
  ctx: NodeRunContext<unknown>,
  request: Omit<OutboundRequest, "allowedHosts">,
  options: { expectedStatuses?: string; responseFormat?: "auto" | "json" | "text"; what?: string } = {},
): Promise<{ response: OutboundResponse; body: unknown }> {
  const what = options.what ?? `${request.method} ${safeOrigin(request.url)}`;
  let response: OutboundResponse;
  try {
    response = await ctx.request(request);
  } catch (error) {
    if (error instanceof BlockedDestinationError) throw new NodeError(error.message, { retryable: false, code: error.code });
    if (error instanceof OutboundNetworkError) {
      const permanent = error.code === "invalid_url" || error.code === "too_many_redirects";
      throw new NodeError(`${what} failed: ${error.message}`, { retryable: !permanent, code: error.code });
    }
    throw error;
  }
  let body: unknown;
  try {
    body = parseResponseBody(response, options.responseFormat ?? "auto");
  } catch (error) {
    throw new NodeError(`${what}: ${(error as Error).message}`, { retryable: false, status: response.status, body: response.body.toString("utf8").slice(0, 2000) });
  }
  if (!statusMatches(response.status, options.expectedStatuses ?? "200-299")) {
    const retryable = ctx.retryPolicy.retryOnStatuses.includes(response.status);
    throw new NodeError(`${what} answered HTTP ${response.status}${retryable ? "" : " (not retryable)"}`, {
      retryable,
      status: response.status,
      body,
      retryAfterMs: parseRetryAfter(response.headers["retry-after"]),
      code: "unexpected_status",
    });
  }
  return { response, body };
}

/** The origin only: URLs of incoming webhooks are secrets and must not land in error messages. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}
