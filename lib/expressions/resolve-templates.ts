// Resolves every `{{ … }}` in a config value against the run context. A field that is one
// expression keeps the expression's type; a mixed string interpolates. Results are never
// scanned again, so payload text that looks like `{{ … }}` stays data.
import type { ExpressionContext } from "./expression-context";
import { DEFAULT_EXPRESSION_LIMITS, evaluateExpression, type ExpressionLimits } from "./evaluate-expression";
import { ExpressionError } from "./expression-error";
import { missingPathWarnings, type ExpressionWarning } from "./missing-path";
import { hasTemplate, parseTemplate, TemplateSyntaxError } from "./parse-template";
import { defineOwn } from "./safe-object";

export interface ResolveOptions {
  nodeId?: string;
  /** Dotted path of the value inside the node's config, for error messages. */
  field?: string;
  limits?: ExpressionLimits;
  /** Collects the paths that were missing when an expression came out empty. */
  warnings?: ExpressionWarning[];
  /** Fields (dotted paths, "fields[0].path") whose strings are taken as written, never evaluated. */
  asWritten?: (field: string) => boolean;
}

export async function resolveTemplateString(template: string, context: ExpressionContext, options: ResolveOptions = {}): Promise<unknown> {
  if (!hasTemplate(template)) return template;
  const location = { nodeId: options.nodeId, field: options.field };
  let parsed;
  try {
    parsed = parseTemplate(template);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new ExpressionError(error.message, template, location);
    throw error;
  }
  const limits = options.limits ?? DEFAULT_EXPRESSION_LIMITS;
  const evaluate = async (source: string) => {
    const value = await evaluateExpression(source, context, location, limits);
    if (value === undefined && options.warnings) options.warnings.push(...missingPathWarnings(source, context, options.field));
    return value;
  };
  if (parsed.isSingleExpression) {
    const only = parsed.parts.find((part) => part.type === "expression");
    if (only?.type === "expression") return evaluate(only.source);
  }
  let text = "";
  for (const part of parsed.parts) {
    if (part.type === "text") text += part.value;
    else text += stringifyForText(await evaluate(part.source));
  }
  return text;
}

/** Deeply resolves all strings of a config object (arrays and nested objects included). */
export async function resolveTemplates<T>(value: T, context: ExpressionContext, options: ResolveOptions = {}): Promise<T> {
  return (await resolveValue(value, context, options, options.field ?? "")) as T;
}

async function resolveValue(value: unknown, context: ExpressionContext, options: ResolveOptions, field: string): Promise<unknown> {
  if (field && options.asWritten?.(field)) return value;
  if (typeof value === "string") return resolveTemplateString(value, context, { ...options, field: field || undefined });
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await resolveValue(value[i], context, options, `${field}[${i}]`));
    return out;
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) defineOwn(out, key, await resolveValue(item, context, options, field ? `${field}.${key}` : key));
    return out;
  }
  return value;
}

function stringifyForText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
