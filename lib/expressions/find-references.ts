// Lists what an expression reads from the context (trigger…, steps.<nodeId>…, run…), for
// publish-time checks of unknown references. Client-safe (parses with JSONata, never evaluates).
import jsonata from "jsonata";

export interface ExpressionReference {
  /** First path name: "trigger", "steps", "run" or something unknown. */
  root: string;
  /** For steps.<nodeId>: the node id. */
  nodeId?: string;
}

type AstNode = { type?: string; value?: unknown; steps?: AstNode[] } & Record<string, unknown>;

/** References at the top level of the expression; paths inside filters are relative and ignored. Throws on syntax errors. */
export function findReferences(source: string): ExpressionReference[] {
  const ast = jsonata(source).ast() as unknown as AstNode;
  const references: ExpressionReference[] = [];
  visit(ast, false);
  return references;

  function visit(node: unknown, relative: boolean): void {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, relative);
      return;
    }
    const current = node as AstNode;
    if (current.type === "path" && Array.isArray(current.steps)) {
      const [first, second] = current.steps;
      if (!relative && first?.type === "name" && typeof first.value === "string") {
        references.push({
          root: first.value,
          nodeId: first.value === "steps" && second?.type === "name" && typeof second.value === "string" ? second.value : undefined,
        });
      }
      // The first step's own stages/predicates evaluate in the root context; later steps are relative.
      current.steps.forEach((step, index) => {
        for (const [key, child] of Object.entries(step)) if (key !== "value" && key !== "type") visit(child, relative || index > 0 || first?.type === "name");
      });
      return;
    }
    if (current.type === "name" && !relative && typeof current.value === "string") references.push({ root: current.value });
    for (const [key, child] of Object.entries(current)) if (key !== "type" && key !== "value" && key !== "position") visit(child, relative);
  }
}
