// One line about what a run's trigger request carried, for the run list: the few fields that say
// the most ("type: checkout.session.completed · email: ada@example.com · amount: 120"). Client-safe.

const MAX_FIELDS = 3;
const MAX_VALUE = 40;
const MAX_LINE = 120;
const MAX_DEPTH = 3;

// Fields people recognise a request by, best first; anything else follows in the body's order.
const TELLING = [/^(type|event|event_?type|action|topic)$/i, /e-?mail/i, /^(name|full_?name|title|subject)$|_name$|name$/i, /(amount|total|price)/i, /^status$/i, /(^|_)id$|^id$/i];

function rank(key: string): number {
  const index = TELLING.findIndex((pattern) => pattern.test(key));
  return index === -1 ? TELLING.length : index;
}

function shorten(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** The body's most telling scalar fields (up to three levels deep), or null when there is nothing to show. */
export function summarizePayload(body: unknown): string | null {
  if (body === null || body === undefined) return null;
  if (typeof body !== "object") return shorten(String(body), MAX_LINE) || null;
  if (Array.isArray(body) && body.every((item) => item === null || typeof item !== "object")) return `${body.length} item${body.length === 1 ? "" : "s"}`;
  const leaves: { key: string; value: string; order: number }[] = [];
  const visit = (value: unknown, key: string, depth: number) => {
    if (value === null || value === undefined || value === "") return;
    if (typeof value !== "object") {
      leaves.push({ key, value: shorten(String(value), MAX_VALUE), order: leaves.length });
      return;
    }
    if (depth >= MAX_DEPTH) return;
    const entries = Array.isArray(value) ? value.slice(0, 1).map((item, index) => [key || String(index), item] as const) : Object.entries(value as Record<string, unknown>);
    for (const [childKey, child] of entries.slice(0, 30)) visit(child, Array.isArray(value) ? key : childKey, depth + 1);
  };
  visit(body, "", 0);
  if (leaves.length === 0) return Array.isArray(body) ? `${body.length} item${body.length === 1 ? "" : "s"}` : null;
  const chosen = [...leaves].sort((a, b) => rank(a.key) - rank(b.key) || a.order - b.order).slice(0, MAX_FIELDS);
  chosen.sort((a, b) => rank(a.key) - rank(b.key) || a.order - b.order);
  return shorten(chosen.map((leaf) => (leaf.key ? `${leaf.key}: ${leaf.value}` : leaf.value)).join(" · "), MAX_LINE);
}
