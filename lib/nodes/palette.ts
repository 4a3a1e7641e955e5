// Client-safe: node kinds grouped for the builder's palette, in display order.
import { nodeDefinitions } from "./definitions";
import { NODE_CATEGORY_LABELS, type NodeCategory, type NodeDefinition } from "./node-definition";

const CATEGORY_ORDER: NodeCategory[] = ["triggers", "http", "messaging", "data", "logic", "timing", "response"];

export interface PaletteGroup {
  category: NodeCategory;
  label: string;
  definitions: NodeDefinition[];
}

export function paletteGroups(): PaletteGroup[] {
  const all = Object.values(nodeDefinitions);
  return CATEGORY_ORDER.map((category) => ({
    category,
    label: NODE_CATEGORY_LABELS[category],
    definitions: all.filter((definition) => definition.category === category),
  })).filter((group) => group.definitions.length > 0);
}

/** Case-insensitive search over title, description and kind. */
export function searchNodeDefinitions(query: string): NodeDefinition[] {
  const needle = query.trim().toLowerCase();
  const all = Object.values(nodeDefinitions);
  if (!needle) return all;
  return all.filter((definition) => `${definition.title} ${definition.description} ${definition.kind}`.toLowerCase().includes(needle));
}
