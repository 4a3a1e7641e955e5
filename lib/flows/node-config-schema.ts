// JSON Schema views of node config schemas (zod → JSON Schema), used to generate inspector forms
// and the initial config of a newly added node. Client-safe; results are cached per kind.
import { z } from "zod";
import { getNodeDefinition } from "@/lib/nodes/definitions";

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

const cache = new Map<string, JsonSchema | null>();

/** The input JSON Schema of a kind's config, or null for an unknown kind. */
export function configJsonSchema(kind: string): JsonSchema | null {
  if (cache.has(kind)) return cache.get(kind)!;
  const definition = getNodeDefinition(kind);
  let schema: JsonSchema | null = null;
  if (definition) {
    try {
      schema = z.toJSONSchema(definition.configSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    } catch {
      schema = { type: "object", properties: {} };
    }
  }
  cache.set(kind, schema);
  return schema;
}

/** A starting value for a schema: its default, else an empty value of its type (arrays with minItems get that many items). */
export function initialValue(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return structuredClone(schema.default);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.enum?.length) return schema.enum[0];
  switch (type) {
    case "object": {
      const value: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        // Optional fields without defaults stay absent (e.g. credential ids, retry overrides).
        if (child.default === undefined && !schema.required?.includes(key)) continue;
        value[key] = initialValue(child);
      }
      return value;
    }
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => initialValue(schema.items ?? {}));
    case "string":
      return "";
    case "number":
    case "integer":
      return schema.minimum !== undefined ? schema.minimum : 0;
    case "boolean":
      return false;
    default:
      return undefined;
  }
}

/** The config a node starts with when added from the palette. */
export function initialNodeConfig(kind: string): Record<string, unknown> {
  const schema = configJsonSchema(kind);
  if (!schema) return {};
  const value = initialValue(schema);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A field's visible label: the start of its description ("URL, e.g. …" → "URL"), else its name spelled out. */
export function fieldLabel(name: string, schema: JsonSchema): string {
  const description = schema.description ?? "";
  const cut = description.split(/, |\s\(|: /)[0]?.trim();
  // A cut through "{ … }" or an expression reads badly: fall back to the field's name.
  if (cut && cut.length <= 48 && !/[{}]/.test(cut)) return cut;
  return name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
}

/**
 * A config path as the inspector labels it: "jsonBody.email" → "JSON body › email",
 * "fields[0].value" → "Fields of the new object › #1 › Value". Unknown kinds keep the path.
 */
export function fieldPathLabel(kind: string, path: string): string {
  let schema: JsonSchema | undefined = configJsonSchema(kind) ?? undefined;
  const segments = path.split(/\.|\[(\d+)\]/).filter((segment) => segment !== undefined && segment !== "");
  return segments
    .map((segment) => {
      if (/^\d+$/.test(segment) && schema?.items) {
        schema = schema.items;
        return `#${Number(segment) + 1}`;
      }
      const child: JsonSchema | undefined = schema?.properties?.[segment];
      schema = child;
      return child ? fieldLabel(segment, child) : segment;
    })
    .join(" › ");
}
