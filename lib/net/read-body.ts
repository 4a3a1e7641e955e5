import type { IncomingMessage } from "node:http";

export type ReadBodyResult =
  | { kind: "ok"; body: Buffer }
  | { kind: "too_large"; bytesSeen: number }
  | { kind: "timeout"; bytesSeen: number }
  | { kind: "aborted" };

/**
 * Reads a request body up to `limit` bytes. The limit is enforced while streaming, so a body
 * without Content-Length (chunked) is cut off as soon as it passes the limit; a declared
 * Content-Length above the limit is refused before reading anything. Slow senders are cut off
 * after `timeoutMs` (none without it). Used by the webhook handler and the embedded engine's API.
 */
export function readBody(req: IncomingMessage, limit: number, timeoutMs?: number): Promise<ReadBodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.pause();
    return Promise.resolve({ kind: "too_large", bytesSeen: 0 });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: ReadBodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("aborted", onAbort);
      if (result.kind !== "ok") req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish({ kind: "too_large", bytesSeen: size });
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: "ok", body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) });
    const onAbort = () => finish({ kind: "aborted" });
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish({ kind: "timeout", bytesSeen: size }), timeoutMs);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("aborted", onAbort);
  });
}
