// Server-only: turns a response body into the value a node outputs (JSON when it is JSON).
import type { OutboundResponse } from "@/lib/net/guarded-request";

export function parseResponseBody(response: OutboundResponse, format: "auto" | "json" | "text" = "auto"): unknown {
  const text = response.body.toString("utf8");
  // A cut-off body is not valid JSON; keep the text the node did receive.
  if (response.bodyTruncated) return text;
  const contentType = response.headers["content-type"] ?? "";
  const looksJson = /[/+]json\b/i.test(contentType);
  if (format === "json" || (format === "auto" && looksJson)) {
    if (text.trim() === "") return null;
    try {
      return JSON.parse(text);
    } catch {
      if (format === "json") throw new Error(`Response is not valid JSON (content-type ${contentType || "missing"})`);
    }
  }
  return text;
}
