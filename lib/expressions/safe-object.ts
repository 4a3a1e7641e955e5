// Building objects from user-controlled keys without touching Object.prototype. Client-safe.

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Keys that could reach a prototype when used as a property path. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** Sets an own data property, even for "__proto__", so no prototype is ever replaced. */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Sets `value` at a dotted path ("customer.address.city"), creating plain objects on the way.
 * Prototype keys in the path are refused: a path is written by the flow author, and one that
 * names __proto__ is a mistake or an attack either way.
 */
export function setAtPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split(".").map((segment) => segment.trim());
  if (segments.some((segment) => segment === "")) throw new Error(`Field path "${path}" has an empty segment`);
  const bad = segments.find(isForbiddenKey);
  if (bad) throw new Error(`Field path "${path}" may not use the reserved key "${bad}"`);
  let cursor = target;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(cursor, segment) ? cursor[segment] : undefined;
    if (next && typeof next === "object" && !Array.isArray(next)) cursor = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      defineOwn(cursor, segment, created);
      cursor = created;
    }
  }
  defineOwn(cursor, segments[segments.length - 1], value);
}
