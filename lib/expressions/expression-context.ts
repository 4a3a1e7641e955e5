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
}

/** The roots an expression may start from. */
export const EXPRESSION_ROOTS = ["trigger", "steps", "run"] as const;
