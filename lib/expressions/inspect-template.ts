// What the inspector says under a field while it is typed: syntax errors, names that are not
// expression roots, steps that do not run before this one, paths the sample or the last test run
// does not have, and the value the field would get. Client-safe: the runtime's own template
// parser, JSONata syntax check and evaluator, never a second implementation.
import { describeRoots, expressionRoots, type ExpressionContext } from "./expression-context";
import { checkExpressionSyntax, evaluateExpression } from "./evaluate-expression";
import { findReferences } from "./find-references";
import { findMissingField, formatPath, type MissingField } from "./missing-path";
import { hasTemplate, parseTemplate, TemplateSyntaxError } from "./parse-template";
import { resolveTemplates, resolveTemplateString } from "./resolve-templates";

/** "template": text with {{ … }} expressions; "jsonata": the whole field is one expression (transform). */
export type ExpressionSyntax = "template" | "jsonata";

export interface TemplateProblem {
  /** "error": the run would fail on it; "warning": it would read nothing. */
  severity: "error" | "warning";
  message: string;
}

export interface TemplateScope {
  /** Every node id of the flow. */
  nodeIds: ReadonlySet<string>;
  /** Ids of the steps that run before this node: only their outputs exist when it runs. */
  upstream: ReadonlySet<string>;
  /** A step's name for messages (falls back to its id). */
  nameOf?: (nodeId: string) => string;
  /** The node is inside a for_each's item branch: `item` and `itemIndex` exist. */
  inLoop?: boolean;
}

/** What the preview evaluates against, and how much of it is real data rather than an example. */
export interface PreviewData {
  context: ExpressionContext;
  /** The trigger is a captured sample (else a skeleton: only its top-level keys are known). */
  hasSample: boolean;
  /** Per upstream step: "run" = output of the last test run, "example" = its kind's example. */
  stepSource: Record<string, "run" | "example">;
}

/** The expression sources in a field, or the syntax error that stops the template from parsing. */
export function expressionSources(text: string, syntax: ExpressionSyntax): { sources: string[] } | { error: string } {
  if (syntax === "jsonata") return { sources: text.trim() ? [text] : [] };
  if (!hasTemplate(text)) return { sources: [] };
  try {
    return { sources: parseTemplate(text).parts.flatMap((part) => (part.type === "expression" ? [part.source] : [])) };
  } catch (error) {
    if (error instanceof TemplateSyntaxError) return { error: error.message };
    throw error;
  }
}

/** Syntax errors and unknown names, checked without any data (as publish will). */
export function checkTemplate(text: string, syntax: ExpressionSyntax, scope: TemplateScope): TemplateProblem[] {
  const found = expressionSources(text, syntax);
  if ("error" in found) return [{ severity: "error", message: found.error }];
  const problems: TemplateProblem[] = [];
  for (const source of found.sources) {
    const syntaxError = checkExpressionSyntax(source);
    if (syntaxError) {
      problems.push({ severity: "error", message: `${shown(source, syntax)}: ${syntaxError}` });
      continue;
    }
    for (const { path } of findReferences(source)) {
      const [root, second] = path;
      if (!expressionRoots(scope.inLoop ?? false).includes(root)) {
        problems.push({ severity: "error", message: `Unknown name "${root}" in ${shown(source, syntax)}: ${describeRoots(scope.inLoop ?? false)}` });
      } else if (root === "steps" && second !== undefined) {
        const name = scope.nameOf?.(second) ?? second;
        if (!scope.nodeIds.has(second)) problems.push({ severity: "error", message: `steps.${second}: there is no step with the id "${second}"` });
        else if (!scope.upstream.has(second)) problems.push({ severity: "error", message: `steps.${second}: "${name}" does not run before this step; connect it first` });
      }
    }
  }
  return dedupe(problems);
}

/** Paths the data does not have: trigger fields missing from the sample, output fields a step does not produce (paths tested on purpose, as in `$exists(…)` or `a ?: b`, are not). */
export function findMissingPaths(text: string, syntax: ExpressionSyntax, data: PreviewData, scope: TemplateScope): TemplateProblem[] {
  const found = expressionSources(text, syntax);
  if ("error" in found) return [];
  const problems: TemplateProblem[] = [];
  for (const source of found.sources) {
    if (checkExpressionSyntax(source)) continue;
    for (const { path, guarded } of findReferences(source)) {
      if (guarded) continue;
      const [root, second] = path;
      if (root === "trigger") {
        // Without a sample only the trigger's own keys (body, headers…) are known.
        const checked = data.hasSample ? path : path.slice(0, 2);
        const missing = findMissingField(data.context, checked);
        if (missing) problems.push(missingPathProblem(missing, data.hasSample ? "the sample" : "the trigger"));
      } else if (root === "steps" && second !== undefined && scope.upstream.has(second)) {
        const source = data.stepSource[second];
        if (!source) continue;
        // An example says which fields a step outputs, not what a response body holds.
        const checked = source === "run" ? path : path.slice(0, 3);
        const missing = findMissingField(data.context, checked);
        const name = scope.nameOf?.(second) ?? second;
        if (missing) problems.push(missingPathProblem(missing, source === "run" ? `the last test run of "${name}"` : `the output of "${name}"`));
      } else if (root === "run") {
        const missing = findMissingField(data.context, path.slice(0, 2));
        if (missing) problems.push(missingPathProblem(missing, "the run"));
      }
    }
  }
  return dedupe(problems);
}

export type PreviewResult = { ok: true; value: unknown } | { ok: false; error: string };

/** The value the field would get with this data: a single expression keeps its type, text interpolates, JSON bodies resolve value by value. */
export async function previewTemplate(text: string, syntax: ExpressionSyntax, context: ExpressionContext): Promise<PreviewResult> {
  try {
    if (syntax === "jsonata") return { ok: true, value: await evaluateExpression(text, context) };
    const json = parseJsonObject(text);
    if (json !== undefined) return { ok: true, value: await resolveTemplates(json, context) };
    return { ok: true, value: await resolveTemplateString(text, context) };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    // "Expression {{ x }} failed: …" repeats the field; the detail is what helps.
    return { ok: false, error: (error as { detail?: string }).detail ?? message };
  }
}

function missingPathProblem(missing: MissingField, where: string): TemplateProblem {
  return { severity: "warning", message: `${formatPath(missing.path)} is not in ${where} (${missing.found})` };
}

function parseJsonObject(text: string): object | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}

function shown(source: string, syntax: ExpressionSyntax): string {
  const short = source.length > 40 ? `${source.slice(0, 39)}…` : source;
  return syntax === "jsonata" ? "the expression" : `{{ ${short} }}`;
}

function dedupe(problems: TemplateProblem[]): TemplateProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => !seen.has(problem.message) && seen.add(problem.message));
}
