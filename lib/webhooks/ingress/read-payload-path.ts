import jsonata from "jsonata";

const compiled = new Map<string, ReturnType<typeof jsonata>>();
const DOTTED = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/;

/**
 * Reads a value from a JSON body: a dotted path ("data.object.id") directly, anything else as
 * a JSONata expression. Answers a string (or null when absent or not a scalar).
 */
export async function readPayloadPath(body: unknown, path: string): Promise<string | null> {
  let value: unknown;
  if (DOTTED.test(path)) {
    value = body;
    for (const key of path.split(".")) {
      value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    }
  } else {
    try {
      let expression = compiled.get(path);
      if (!expression) {
        expression = jsonata(path);
        if (compiled.size > 1000) compiled.clear();
        compiled.set(path, expression);
      }
      value = await expression.evaluate(body);
    } catch {
      // A broken stored expression reads as "absent"; settings validation rejects new ones.
      value = undefined;
    }
  }
  if (typeof value === "string") return value || null;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

/** Whether an event type passes the filter (empty = all; "*" matches any run of characters, e.g. "*.publish*"). */
export function eventTypeMatches(eventType: string | null, filter: string[]): boolean {
  if (filter.length === 0) return true;
  if (!eventType) return false;
  return filter.some((pattern) =>
    pattern.includes("*")
      ? new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`).test(eventType)
      : pattern === eventType,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
