// What `{{ … }}` expressions can see (DESIGN.md): the trigger request, earlier steps' outputs, the run.

export interface TriggerPayload {
  body: unknown;
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  method: string;
  receivedAt: string;
}

export interface ExpressionContext {
  trigger: TriggerPayload;
  /** Outputs of nodes that have finished, by node id. */
  steps: Record<string, unknown>;
  run: { id: string; flowId: string; attempt: number };
  /** Inside a for_each's item branch: the current item and its 0-based index. */
  item?: unknown;
  itemIndex?: number;
}

/** The roots an expression may start from. */
export const EXPRESSION_ROOTS = ["trigger", "steps", "run"] as const;
/** Roots only a node inside a for_each's item branch has. */
export const LOOP_ROOTS = ["item", "itemIndex"] as const;

export function expressionRoots(inLoop: boolean): readonly string[] {
  return inLoop ? [...EXPRESSION_ROOTS, ...LOOP_ROOTS] : EXPRESSION_ROOTS;
}

/** How a message about an unknown name ends. */
export function describeRoots(inLoop: boolean): string {
  return inLoop ? "expressions start with trigger, steps, run, item or itemIndex" : "expressions start with trigger, steps or run";
}
