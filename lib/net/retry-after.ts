/**
 * Milliseconds from `now` that a Retry-After value asks to wait: delay-seconds or an HTTP date.
 * Undefined when it is neither (the engine then also tries an SDK duration such as "1m").
 */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
