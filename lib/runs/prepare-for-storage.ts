// What goes into RunStep/Run JSON columns: secrets redacted, size capped (marked truncated).
import { orderForScrubbing, secretForms } from "@/lib/credentials/secret-forms";

export const DEFAULT_VALUE_CAP_BYTES = 256 * 1024;
const REDACTED = "[redacted]";
const SENSITIVE_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|password|passwd|secret|client[-_]?secret|access[-_]?token|refresh[-_]?token|token|webhook-signature|x-hub-signature(-256)?|stripe-signature)$/i;

export interface StoredValue {
  value: unknown;
  truncated: boolean;
}

/**
 * Redacts values under sensitive keys and every occurrence of the given secret strings, then caps
 * the JSON size. A capped value becomes { truncated: true, originalBytes, preview }.
 */
export function prepareForStorage(value: unknown, options: { secrets?: readonly string[]; capBytes?: number } = {}): StoredValue {
  if (value === undefined) return { value: null, truncated: false };
  const secrets = orderForScrubbing(options.secrets ?? []);
  const redacted = redact(value, secrets, 0);
  const json = JSON.stringify(redacted) ?? "null";
  const cap = options.capBytes ?? DEFAULT_VALUE_CAP_BYTES;
  const size = Buffer.byteLength(json);
  if (size <= cap) return { value: redacted, truncated: false };
  return { value: { truncated: true, originalBytes: size, preview: json.slice(0, Math.max(0, cap - 200)) }, truncated: true };
}

function redact(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === "string") return scrub(value, secrets);
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? String(value) : value;
  if (depth > 64) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  // Key-value list entries ({ name: "Authorization", value: "Bearer …" }) hide their value too.
  const entryName = (value as { name?: unknown }).name;
  const sensitiveEntry = typeof entryName === "string" && SENSITIVE_KEY.test(entryName);
  for (const [key, item] of Object.entries(value)) {
    if (sensitiveEntry && key === "value" && item !== "" && item !== null) {
      Object.defineProperty(out, key, { value: REDACTED, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const safe = SENSITIVE_KEY.test(key) && item !== null && item !== "" ? REDACTED : redact(item, secrets, depth + 1);
    Object.defineProperty(out, key, { value: safe, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Replaces every occurrence of the secrets (longest first, see orderForScrubbing) in `text`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4 && result.includes(secret)) result = result.split(secret).join(REDACTED);
  return result;
}

/**
 * Values a node's config holds under sensitive names — an Authorization header typed into the node,
 * a token field — in every form (secretForms), so a response or error that echoes them is scrubbed too.
 */
export function sensitiveValuesIn(value: unknown, depth = 0): string[] {
  if (value === null || typeof value !== "object" || depth > 64) return [];
  const found: string[] = [];
  const add = (secret: unknown) => {
    if (typeof secret !== "string") return;
    found.push(...secretForms(secret));
    // "Bearer <token>", "Basic <base64>": the credential after the scheme travels on its own too.
    const credential = /^[A-Za-z][A-Za-z0-9_-]*\s+(\S{4,})$/.exec(secret.trim())?.[1];
    if (credential) found.push(...secretForms(credential));
  };
  const entryName = (value as { name?: unknown }).name;
  if (typeof entryName === "string" && SENSITIVE_KEY.test(entryName)) add((value as { value?: unknown }).value);
  for (const [key, item] of Object.entries(value)) {
    if (SENSITIVE_KEY.test(key)) add(item);
    else found.push(...sensitiveValuesIn(item, depth + 1));
  }
  return found;
}

/**
 * An error as the run log stores it and users see it: message, code and the HTTP facts (status,
 * response body). Never a stack trace: it shows server file paths (see unexpectedErrorStack).
 */
export function serializeError(error: unknown, secrets: readonly string[] = []): Record<string, unknown> {
  const ordered = orderForScrubbing(secrets);
  const err = error instanceof Error ? error : new Error(String(error));
  const details = (err as { details?: { retryable?: boolean; status?: number; body?: unknown; code?: string } }).details ?? {};
  const code = details.code ?? (err as { code?: unknown }).code;
  const record: Record<string, unknown> = { name: err.name, message: scrub(err.message, ordered) };
  if (typeof code === "string" || typeof code === "number") record.code = code;
  if (details.status !== undefined) record.status = details.status;
  if (details.body !== undefined) record.body = prepareForStorage(details.body, { secrets: ordered, capBytes: 16 * 1024 }).value;
  if (details.retryable !== undefined) record.retryable = details.retryable;
  return record;
}

/**
 * The stack of an error nobody explained — not a node's verdict on the outside world (NodeError,
 * with details) nor one of ours with a code (expression, credential, guard errors) — for the
 * server log, secrets scrubbed; null for explained errors.
 */
export function unexpectedErrorStack(error: unknown, secrets: readonly string[] = []): string | null {
  if (!(error instanceof Error) || "details" in error || typeof (error as { code?: unknown }).code === "string") return null;
  return scrub(error.stack ?? `${error.name}: ${error.message}`, orderForScrubbing(secrets));
}
