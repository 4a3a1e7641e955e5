// Server-only: the for_each node checks what its `items` expression produced. Running the item
// branch once per item is the engine's part (lib/runs/execute-loop.ts).
import { NodeError, type NodeRunner } from "../node-runner";
import { FOR_EACH_MAX_ITEMS_LIMIT, type ForEachConfig } from "./definition";

export const forEachRunner: NodeRunner<ForEachConfig> = {
  async run(ctx) {
    const { items, maxItems } = ctx.config as Omit<ForEachConfig, "items"> & { items: unknown };
    if (!Array.isArray(items)) throw new NodeError(`items is ${describeType(items)}, not an array`, { retryable: false, code: "not_an_array" });
    if (items.length > maxItems) {
      throw new NodeError(`items has ${items.length} entries, more than the maximum of ${maxItems} (raise maxItems, up to ${FOR_EACH_MAX_ITEMS_LIMIT.toLocaleString("en-US")}, or split the list)`, { retryable: false, code: "too_many_items" });
    }
    return { output: items, ports: [] };
  },
};

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing (the expression read nothing)";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
