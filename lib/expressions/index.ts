export { parseTemplate, hasTemplate, collectExpressions, TemplateSyntaxError, type ParsedTemplate, type TemplatePart } from "./parse-template";
export { evaluateExpression, checkExpressionSyntax, DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from "./evaluate-expression";
export { resolveTemplates, resolveTemplateString } from "./resolve-templates";
export { findReferences, type ExpressionReference } from "./find-references";
export { ExpressionError } from "./expression-error";
export { EXPRESSION_ROOTS, type ExpressionContext, type TriggerPayload } from "./expression-context";
export { defineOwn, setAtPath, isForbiddenKey } from "./safe-object";
