// Signs engine → serve endpoint requests the way Inngest does, so the SDK accepts them in cloud mode.
import { createHmac } from "node:crypto";

/**
 * JSON with object keys sorted (RFC 8785 for the JSON the engine handles): the SDK re-parses the
 * body and canonicalizes it before checking the signature, so the engine sends exactly that form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}

/** The `X-Inngest-Signature` header value for `body`. */
export function signatureHeader(body: string, signingKey: string, now = Date.now()): string {
  const ts = Math.round(now / 1000).toString();
  const key = signingKey.replace(/^signkey-\w+-/, "");
  return `t=${ts}&s=${createHmac("sha256", key).update(body + ts).digest("hex")}`;
}
