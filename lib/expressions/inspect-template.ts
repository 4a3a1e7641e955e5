// What the inspector says under a field while it is typed: syntax errors, names that are not
// expression roots, steps that do not run before this one, paths the sample or the last test run
// does not have, and the value the field would get. Client-safe: the runtime's own template
// parser, JSONata syntax check and evaluator, never a second implementation.
import jsonata from "jsonata";
import { EXPRESSION_ROOTS, type ExpressionContext } from "./expression-context";
import { checkExpressionSyntax, evaluateExpression } from "./evaluate-expression";
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
    for (const path of rootPaths(source)) {
      const [root, second] = path;
      if (!(EXPRESSION_ROOTS as readonly string[]).includes(root)) {
        problems.push({ severity: "error", message: `Unknown name "${root}" in ${shown(source, syntax)}: expressions start with trigger, steps or run` });
      } else if (root === "steps" && second !== undefined) {
        const name = scope.nameOf?.(second) ?? second;
        if (!scope.nodeIds.has(second)) problems.push({ severity: "error", message: `steps.${second}: there is no step with the id "${second}"` });
        else if (!scope.upstream.has(second)) problems.push({ severity: "error", message: `steps.${second}: "${name}" does not run before this step; connect it first` });
      }
    }
  }
  return dedupe(problems);
}

/** Paths the data does not have: trigger fields missing from the sample, output fields a step does not produce. */
export function findMissingPaths(text: string, syntax: ExpressionSyntax, data: PreviewData, scope: TemplateScope): TemplateProblem[] {
  const found = expressionSources(text, syntax);
  if ("error" in found) return [];
  const problems: TemplateProblem[] = [];
  for (const source of found.sources) {
    if (checkExpressionSyntax(source)) continue;
    for (const path of rootPaths(source)) {
      const [root, second] = path;
      if (root === "trigger") {
        // Without a sample only the trigger's own keys (body, headers…) are known.
        const checked = data.hasSample ? path : path.slice(0, 2);
        const missing = missingSegment(checked, data.context);
        if (missing) problems.push(missingPathProblem(missing, data.hasSample ? "the sample" : "the trigger"));
      } else if (root === "steps" && second !== undefined && scope.upstream.has(second)) {
        const source = data.stepSource[second];
        if (!source) continue;
        // An example says which fields a step outputs, not what a response body holds.
        const checked = source === "run" ? path : path.slice(0, 3);
        const missing = missingSegment(checked, data.context);
        const name = scope.nameOf?.(second) ?? second;
        if (missing) problems.push(missingPathProblem(missing, source === "run" ? `the last test run of "${name}"` : `the output of "${name}"`));
      } else if (root === "run") {
        const missing = missingSegment(path.slice(0, 2), data.context);
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

/** The leading plain names of every path that starts at the root: `trigger.body.items[0].sku` → trigger, body, items. */
export function rootPaths(source: string): string[][] {
  const paths: string[][] = [];
  visit(jsonata(source).ast(), false);
  return paths;

  function visit(node: unknown, relative: boolean): void {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, relative);
      return;
    }
    const current = node as { type?: string; value?: unknown; steps?: Record<string, unknown>[] } & Record<string, unknown>;
    if (current.type === "path" && Array.isArray(current.steps)) {
      const path: string[] = [];
      if (!relative) {
        for (const step of current.steps) {
          if (step.type !== "name" || typeof step.value !== "string") break;
          path.push(step.value);
          if (step.stages || step.predicate || step.group) break;
        }
        if (path.length) paths.push(path);
      }
      // Inside a path, filters and later steps read relative to the current item.
      current.steps.forEach((step, index) => {
        for (const [key, child] of Object.entries(step)) if (key !== "value" && key !== "type") visit(child, relative || index > 0 || step.type === "name");
      });
      return;
    }
    if (current.type === "name" && !relative && typeof current.value === "string") {
      paths.push([current.value]);
      return;
    }
    for (const [key, child] of Object.entries(current)) if (key !== "type" && key !== "value" && key !== "position") visit(child, relative);
  }
}

interface Missing {
  path: string[];
  /** Index of the first segment the data does not have. */
  at: number;
  /** Keys the data has where that segment was expected. */
  available: string[];
}

/** The first segment of `path` the context lacks (arrays are looked into, as JSONata maps over them). */
function missingSegment(path: string[], context: unknown): Missing | null {
  let current: unknown[] = [context];
  for (let at = 0; at < path.length; at++) {
    const items = current.flatMap((item) => (Array.isArray(item) ? item : [item]));
    const objects = items.filter((item): item is Record<string, unknown> => !!item && typeof item === "object");
    const next = objects.filter((item) => Object.prototype.hasOwnProperty.call(item, path[at])).map((item) => item[path[at]]);
    if (next.length === 0) {
      const available = [...new Set(objects.flatMap((item) => Object.keys(item)))];
      return { path, at, available };
    }
    current = next;
  }
  return null;
}

function missingPathProblem(missing: Missing, where: string): TemplateProblem {
  const full = missing.path.slice(0, missing.at + 1).join(".");
  const has = missing.available.length ? ` (it has ${missing.available.slice(0, 8).join(", ")}${missing.available.length > 8 ? ", …" : ""})` : "";
  return { severity: "warning", message: `${full} is not in ${where}${has}` };
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
