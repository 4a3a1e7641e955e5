// An expression that failed, naming where it sits so the user can find and fix it.

export class ExpressionError extends Error {
  readonly code = "expression_error";
  constructor(
    readonly detail: string,
    readonly expression: string,
    readonly location: { nodeId?: string; field?: string } = {},
  ) {
    const where = [location.nodeId && `node "${location.nodeId}"`, location.field && `field "${location.field}"`].filter(Boolean).join(", ");
    super(`Expression {{ ${expression} }}${where ? ` in ${where}` : ""} failed: ${detail}`);
    this.name = "ExpressionError";
  }
}
