// Splits a config string into literal text and `{{ … }}` JSONata expressions. Client-safe.
// Only strings written in a flow's config are ever parsed; values that arrive in payloads
// are data and never pass through here (no double evaluation).

export type TemplatePart = { type: "text"; value: string } | { type: "expression"; source: string; start: number };

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** The whole string (ignoring surrounding whitespace) is one expression: its value keeps its type. */
  isSingleExpression: boolean;
}

export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = "TemplateSyntaxError";
  }
}

/** True when the string contains at least one `{{`. Cheap pre-check before parsing. */
export function hasTemplate(value: string): boolean {
  return value.includes("{{");
}

export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  while (cursor < template.length) {
    const open = template.indexOf("{{", cursor);
    if (open === -1) {
      parts.push({ type: "text", value: template.slice(cursor) });
      break;
    }
    if (open > cursor) parts.push({ type: "text", value: template.slice(cursor, open) });
    const close = findClosingBraces(template, open + 2);
    if (close === -1) throw new TemplateSyntaxError(`Unclosed "{{" at position ${open}: add the matching "}}"`, open);
    const source = template.slice(open + 2, close).trim();
    if (!source) throw new TemplateSyntaxError(`Empty expression "{{ }}" at position ${open}`, open);
    parts.push({ type: "expression", source, start: open });
    cursor = close + 2;
  }
  const meaningful = parts.filter((part) => part.type === "expression" || part.value.trim() !== "");
  return { parts, isSingleExpression: meaningful.length === 1 && meaningful[0].type === "expression" };
}

/** Finds the `}}` that ends an expression, skipping braces of JSONata object constructors and string literals. */
function findClosingBraces(text: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'" || char === "`") quote = char;
    else if (char === "{") depth++;
    else if (char === "}") {
      if (depth === 0 && text[i + 1] === "}") return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** Every expression source in a config value (deep), with the dotted field path it sits in. */
export function collectExpressions(value: unknown, path = ""): { field: string; source: string }[] {
  const found: { field: string; source: string }[] = [];
  visit(value, path);
  return found;

  function visit(current: unknown, field: string) {
    if (typeof current === "string") {
      if (!hasTemplate(current)) return;
      try {
        for (const part of parseTemplate(current).parts) if (part.type === "expression") found.push({ field, source: part.source });
      } catch {
        // Syntax errors are reported by the validator through parseTemplate directly.
      }
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => visit(item, `${field}[${index}]`));
    } else if (current && typeof current === "object") {
      for (const [key, item] of Object.entries(current)) visit(item, field ? `${field}.${key}` : key);
    }
  }
}
