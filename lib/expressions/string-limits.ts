// Caps on the strings an expression builds. Without them `$pad("x", 1e8)` runs for seconds in one
// synchronous call and a handful of 10 MB strings exhausts memory. A single string may be as long
// as the largest webhook body an endpoint accepts; an evaluation may build a few of them in total.
import { MAX_BODY_BYTES_LIMIT } from "@/lib/webhooks/endpoints/limits";

/** Longest string an expression may build (characters): 10 MiB, the largest accepted body. */
export const MAX_EXPRESSION_STRING_LENGTH = MAX_BODY_BYTES_LIMIT;
/** Characters of strings one evaluation may build in total. */
export const MAX_EXPRESSION_BUILT_CHARACTERS = 5 * MAX_BODY_BYTES_LIMIT;

export class StringLimitError extends Error {
  readonly code = "SY_STRING_LIMIT";
}

const tooLong = (length: number, max: number) =>
  new StringLimitError(`would build a string of ${length.toLocaleString("en")} characters; expressions may build strings of at most ${max.toLocaleString("en")} characters`);

/** Per-evaluation accounting of built characters, keyed by JSONata's evaluation environment. */
export class StringBudget {
  #built = 0;
  constructor(readonly maxString: number, readonly maxTotal: number) {}

  /** Refuses a string of `length` characters before it is built. */
  check(length: number): void {
    if (length > this.maxString) throw tooLong(length, this.maxString);
  }

  /** Counts a string the expression built. */
  charge(length: number): void {
    this.check(length);
    this.#built += length;
    if (this.#built > this.maxTotal) {
      throw new StringLimitError(`built more than ${this.maxTotal.toLocaleString("en")} characters of strings in total; simplify the expression`);
    }
  }
}

/** Characters of JSON a value would need, counted only up to `limit` (cheap early exit). */
export function jsonSizeAtMost(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= limit) {
    const item = stack.pop();
    if (typeof item === "string") size += item.length + 2;
    else if (item === null || typeof item !== "object") size += 8;
    else if (Array.isArray(item)) {
      size += 2 + item.length;
      for (const element of item) stack.push(element);
    } else {
      for (const [key, element] of Object.entries(item)) {
        size += key.length + 4;
        stack.push(element);
      }
    }
  }
  return size;
}

/** Length in code points, as JSONata counts ($length, $pad). */
function codePointLength(text: string): number {
  let surrogates = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) surrogates++;
  }
  return text.length - surrogates;
}

/** JSONata's $pad with the width checked first and the padding built natively (String#repeat). */
export function pad(budget: StringBudget, str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  const fill = char === undefined || char.length === 0 ? " " : char;
  const target = Math.abs(Math.trunc(width));
  const padLength = target - codePointLength(str);
  if (padLength <= 0) return str;
  const units = Array.from(fill);
  budget.check(str.length + Math.ceil((padLength * fill.length) / units.length));
  const padding = fill.repeat(Math.floor(padLength / units.length)) + units.slice(0, padLength % units.length).join("");
  return width > 0 ? str + padding : padding + str;
}

/** JSONata's $join with the result's length checked before joining. */
export function join(budget: StringBudget, strs: string[] | undefined, separator = ""): string | undefined {
  if (strs === undefined) return undefined;
  let length = Math.max(0, strs.length - 1) * separator.length;
  for (const item of strs) length += item.length;
  budget.check(length);
  return strs.join(separator);
}
