// Which field of an expression's path the data does not have: `{{ steps.shape.output.amount }}`
// against a shape step whose output has no `output` key. Used at publish time against the
// trigger's sample and the steps' last outputs, and at run time when an expression came out empty
// (the step's log then names the path). Client-safe.
import { findReferences, type ExpressionReference } from "./find-references";

/** A path an expression read that was not there, recorded on the step (RunStep.warnings). */
export interface ExpressionWarning {
  /** Dotted path of the value inside the node's config. */
  field?: string;
  expression: string;
  /** The path that was missing, e.g. steps.shape.output. */
  path: string;
  message: string;
}

export interface MissingField {
  /** The path up to and including the segment that is missing. */
  path: string[];
  /** What the path up to there held, e.g. "it has: email, comment" or "it is null". */
  found: string;
}

const MAX_VALUES = 1000;
const ROOTS = new Set(["trigger", "steps", "run"]);

/** JSONata path segment: plain names as is, anything else in backticks. */
export function pathSegment(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : `\`${key.replace(/`/g, "")}\``;
}

export function formatPath(path: readonly string[]): string {
  return path.map(pathSegment).join(".");
}

/**
 * The first segment of `path` that `root` does not have, following JSONata (a path maps over
 * arrays: a field exists when any item has it); null when the whole path is there.
 */
export function findMissingField(root: unknown, path: readonly string[]): MissingField | null {
  let values: unknown[] = [root];
  for (let i = 0; i < path.length; i++) {
    const next: unknown[] = [];
    for (const value of values) collect(value, path[i], next);
    if (next.length === 0) return { path: path.slice(0, i + 1), found: describe(values) };
    values = next;
  }
  return null;
}

function collect(value: unknown, key: string, into: unknown[]) {
  if (into.length >= MAX_VALUES) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, key, into);
  } else if (value && typeof value === "object" && Object.hasOwn(value, key)) {
    const found = (value as Record<string, unknown>)[key];
    if (found !== undefined) into.push(found);
  }
}

function describe(parents: unknown[]): string {
  const values = parents.flat(2);
  const object = values.find((value) => value && typeof value === "object" && !Array.isArray(value)) as Record<string, unknown> | undefined;
  if (object) {
    const keys = Object.keys(object);
    if (keys.length === 0) return "it is an empty object";
    return `it has: ${keys.slice(0, 8).map(pathSegment).join(", ")}${keys.length > 8 ? ", …" : ""}`;
  }
  if (values.length === 0) return "it is an empty list";
  const value = values[0];
  return `it is ${value === null ? "null" : Array.isArray(value) ? "a list of lists" : `a ${typeof value}`}`;
}

/** The references of `source` a missing value can be reported for: context paths that are not guarded ($exists, `?:`, `??`, conditions). */
export function checkableReferences(source: string): ExpressionReference[] {
  let references = referenceCache.get(source);
  if (!references) {
    try {
      references = findReferences(source).filter((reference) => ROOTS.has(reference.root) && !reference.guarded && reference.path.length > 1);
    } catch {
      references = []; // syntax errors are reported elsewhere
    }
    if (referenceCache.size >= 1000) referenceCache.delete(referenceCache.keys().next().value as string);
    referenceCache.set(source, references);
  }
  return references;
}
const referenceCache = new Map<string, ExpressionReference[]>();

/** Run time: the paths `source` read that `context` lacks; call it when the expression came out empty. */
export function missingPathWarnings(source: string, context: object, field?: string): ExpressionWarning[] {
  const warnings: ExpressionWarning[] = [];
  for (const reference of checkableReferences(source)) {
    const missing = findMissingField(context, reference.path);
    if (!missing) continue;
    const path = formatPath(missing.path);
    const parent = formatPath(missing.path.slice(0, -1));
    warnings.push({
      ...(field ? { field } : {}),
      expression: source,
      path,
      message: `{{ ${source} }} was empty: ${parent} has no field "${missing.path.at(-1)}" (${missing.found})`,
    });
  }
  return warnings;
}
