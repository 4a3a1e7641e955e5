// What goes into RunStep/Run JSON columns: secrets redacted, size capped (marked truncated).

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
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 4);
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

export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4 && result.includes(secret)) result = result.split(secret).join(REDACTED);
  return result;
}

/** An error as the run log stores it: message, code, HTTP facts, a trimmed stack. */
export function serializeError(error: unknown, secrets: readonly string[] = []): Record<string, unknown> {
  const err = error instanceof Error ? error : new Error(String(error));
  const details = (err as { details?: { retryable?: boolean; status?: number; body?: unknown; code?: string } }).details ?? {};
  const code = details.code ?? (err as { code?: unknown }).code;
  const stack = err.stack
    ?.split("\n")
    .slice(1)
    .filter((line) => !line.includes("node_modules"))
    .slice(0, 8)
    .map((line) => line.trim())
    .join("\n");
  const record: Record<string, unknown> = { name: err.name, message: scrub(err.message, secrets) };
  if (typeof code === "string" || typeof code === "number") record.code = code;
  if (details.status !== undefined) record.status = details.status;
  if (details.body !== undefined) record.body = prepareForStorage(details.body, { secrets, capBytes: 16 * 1024 }).value;
  if (details.retryable !== undefined) record.retryable = details.retryable;
  if (stack) record.stack = scrub(stack, secrets);
  return record;
}
