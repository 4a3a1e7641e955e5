// The subset of Inngest's CEL expressions the engine evaluates: `if` on triggers, cancelOn and
// waitForEvent. Anything else is refused when the functions are synced, with the reason.

export type Expression = (scope: { event?: unknown; async?: unknown }) => boolean;

type Node =
  | { type: "literal"; value: string | number | boolean | null }
  | { type: "path"; root: "event" | "async"; keys: string[] }
  | { type: "not"; operand: Node }
  | { type: "logic"; op: "&&" | "||"; left: Node; right: Node }
  | { type: "compare"; op: "==" | "!=" | "<" | "<=" | ">" | ">="; left: Node; right: Node };

const SUPPORTED =
  "supported: comparisons (== != < <= > >=) of event.* / async.* fields with each other or with string, number, " +
  "boolean and null literals, combined with &&, ||, ! and parentheses";

export class UnsupportedExpressionError extends Error {}

/** Compiles a boolean `source` or throws UnsupportedExpressionError naming what is not supported. */
export function compileExpression(source: string): Expression {
  const value = compileValueExpression(source);
  return (scope) => truthy(value(scope));
}

/** Compiles an expression yielding a value (idempotency and concurrency keys such as `event.data.userId`). */
export function compileValueExpression(source: string): (scope: { event?: unknown; async?: unknown }) => unknown {
  const tokens = tokenize(source);
  let pos = 0;
  const fail = (why: string): never => {
    throw new UnsupportedExpressionError(`Unsupported expression "${source}": ${why}; ${SUPPORTED}`);
  };
  const peek = () => tokens[pos]?.text;
  const next = () => tokens[pos++]?.text;

  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === "||") {
      next();
      left = { type: "logic", op: "||", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseCompare();
    while (peek() === "&&") {
      next();
      left = { type: "logic", op: "&&", left, right: parseCompare() };
    }
    return left;
  };
  const parseCompare = (): Node => {
    const left = parseUnary();
    const op = peek();
    if (op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=") {
      next();
      return { type: "compare", op, left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (peek() === "!") {
      next();
      return { type: "not", operand: parseUnary() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): Node => {
    const token = tokens[pos];
    if (!token) return fail("unexpected end");
    pos++;
    if (token.text === "(") {
      const inner = parseOr();
      if (next() !== ")") fail("missing )");
      return inner;
    }
    if (token.kind === "string") return { type: "literal", value: token.value as string };
    if (token.kind === "number") return { type: "literal", value: token.value as number };
    if (token.kind === "ident") {
      if (token.text === "true" || token.text === "false") return { type: "literal", value: token.text === "true" };
      if (token.text === "null") return { type: "literal", value: null };
      if (token.text !== "event" && token.text !== "async") return fail(`unknown name "${token.text}"`);
      const keys: string[] = [];
      for (;;) {
        if (peek() === ".") {
          next();
          const key = tokens[pos++];
          if (key?.kind !== "ident") fail("expected a field name after .");
          keys.push(key.text);
        } else if (peek() === "[") {
          next();
          const key = tokens[pos++];
          if (key?.kind !== "string" && key?.kind !== "number") fail("expected a string or number index");
          keys.push(String(key.value));
          if (next() !== "]") fail("missing ]");
        } else if (peek() === "(") {
          return fail(`function calls such as ${[token.text, ...keys].join(".")}() are not supported`);
        } else break;
      }
      return { type: "path", root: token.text, keys };
    }
    return fail(`unexpected "${token.text}"`);
  };

  const tree = parseOr();
  if (pos < tokens.length) fail(`unexpected "${tokens[pos].text}"`);
  return (scope) => evaluate(tree, scope);
}

function evaluate(node: Node, scope: { event?: unknown; async?: unknown }): unknown {
  switch (node.type) {
    case "literal":
      return node.value;
    case "path": {
      let value: unknown = scope[node.root];
      for (const key of node.keys) {
        if (value === null || typeof value !== "object") return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      return value;
    }
    case "not":
      return !truthy(evaluate(node.operand, scope));
    case "logic":
      return node.op === "&&"
        ? truthy(evaluate(node.left, scope)) && truthy(evaluate(node.right, scope))
        : truthy(evaluate(node.left, scope)) || truthy(evaluate(node.right, scope));
    case "compare": {
      const left = evaluate(node.left, scope);
      const right = evaluate(node.right, scope);
      if (node.op === "==") return left !== undefined && jsonEqual(left, right);
      if (node.op === "!=") return !(left !== undefined && jsonEqual(left, right));
      const comparable =
        (typeof left === "number" && typeof right === "number") || (typeof left === "string" && typeof right === "string");
      if (!comparable) return false;
      const l = left as number | string;
      const r = right as number | string;
      return node.op === "<" ? l < r : node.op === "<=" ? l <= r : node.op === ">" ? l > r : l >= r;
    }
  }
}

function truthy(value: unknown): boolean {
  return value === true;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Token {
  kind: "op" | "string" | "number" | "ident";
  text: string;
  value?: string | number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "&&", "||"].includes(two)) {
      tokens.push({ kind: "op", text: two });
      i += 2;
      continue;
    }
    if ("<>!().[]".includes(c)) {
      tokens.push({ kind: "op", text: c });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let value = "";
      while (j < source.length && source[j] !== c) {
        if (source[j] === "\\" && j + 1 < source.length) j++;
        value += source[j++];
      }
      if (j >= source.length) throw new UnsupportedExpressionError(`Unsupported expression "${source}": unterminated string`);
      tokens.push({ kind: "string", text: source.slice(i, j + 1), value });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: "number", text: number[0], value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (ident) {
      tokens.push({ kind: "ident", text: ident[0] });
      i += ident[0].length;
      continue;
    }
    throw new UnsupportedExpressionError(`Unsupported expression "${source}": unexpected character "${c}"; ${SUPPORTED}`);
  }
  return tokens;
}
