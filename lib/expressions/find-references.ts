// Lists what an expression reads from the context (trigger…, steps.<nodeId>…, run…), for
// publish-time checks of unknown references and missing fields, and for naming the path that was
// empty at run time. Client-safe (parses with JSONata, never evaluates).
import jsonata from "jsonata";

export interface ExpressionReference {
  /** First path name: "trigger", "steps", "run" or something unknown. */
  root: string;
  /** For steps.<nodeId>: the node id. */
  nodeId?: string;
  /** The plain field names the path reads from the context, root first (up to the first filter, wildcard or computed step). */
  path: string[];
  /** Read where a missing value is expected: inside $exists(…) or as the test of a condition. */
  guarded: boolean;
}

type AstNode = { type?: string; value?: unknown; steps?: AstNode[]; stages?: unknown[]; predicate?: unknown[]; group?: unknown } & Record<string, unknown>;

/** References at the top level of the expression; paths inside filters are relative and ignored. Throws on syntax errors. */
export function findReferences(source: string): ExpressionReference[] {
  const ast = jsonata(source).ast() as unknown as AstNode;
  const references: ExpressionReference[] = [];
  visit(ast, false, false);
  return references;

  function visit(node: unknown, relative: boolean, guarded: boolean): void {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, relative, guarded);
      return;
    }
    const current = node as AstNode;
    if (current.type === "path" && Array.isArray(current.steps)) {
      const [first, second] = current.steps;
      if (!relative && first?.type === "name" && typeof first.value === "string") {
        references.push({
          root: first.value,
          nodeId: first.value === "steps" && second?.type === "name" && typeof second.value === "string" ? second.value : undefined,
          path: plainNames(current.steps),
          guarded,
        });
      }
      // The first step's own stages/predicates evaluate in the root context; later steps are relative.
      current.steps.forEach((step, index) => {
        for (const [key, child] of Object.entries(step)) if (key !== "value" && key !== "type") visit(child, relative || index > 0 || first?.type === "name", guarded);
      });
      return;
    }
    if (current.type === "name" && !relative && typeof current.value === "string") references.push({ root: current.value, path: [current.value], guarded });
    if (current.type === "condition") {
      // The "then" branch runs only when the test held: what it reads under a tested path is guarded
      // too (`$exists(a) ? a.b : 0`; `a ?: b` and `a ?? b` parse as conditions whose "then" is `a`).
      const tested = references.length;
      visit(current.condition, relative, true);
      const testedPaths = references.slice(tested).map((reference) => reference.path);
      const then = references.length;
      visit(current.then, relative, guarded);
      for (const reference of references.slice(then)) {
        if (testedPaths.some((path) => path.every((name, index) => reference.path[index] === name))) reference.guarded = true;
      }
      visit(current.else, relative, guarded);
      return;
    }
    const isExists = current.type === "function" && (current.procedure as AstNode | undefined)?.value === "exists";
    for (const [key, child] of Object.entries(current)) if (key !== "type" && key !== "value" && key !== "position") visit(child, relative, guarded || (isExists && key === "arguments"));
  }
}

/** Names of the leading plain steps of a path; a step with a filter or sort still counts, and ends the list. */
function plainNames(steps: AstNode[]): string[] {
  const names: string[] = [];
  for (const step of steps) {
    if (step.type !== "name" || typeof step.value !== "string") break;
    names.push(step.value);
    if (step.stages || step.predicate || step.group) break;
  }
  return names;
}
