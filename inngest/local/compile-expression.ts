// The subset of Inngest's CEL expressions the engine evaluates: `if` on triggers, cancelOn and
// waitForEvent. Anything else is refused when the functions are synced, with the reason (a
// waitForEvent `if` is not in the synced configuration: it is checked when the step is reached).
// As in CEL, an operation on values of the wrong type yields no value, so a comparison with it is false.

export type Expression = (scope: { event?: unknown; async?: unknown }) => boolean;

type Node =
  | { type: "literal"; value: string | number | boolean | null }
  | { type: "root"; name: "event" | "async" }
  | { type: "member"; object: Node; key: Node }
  | { type: "list"; items: Node[] }
  | { type: "not"; operand: Node }
  | { type: "negate"; operand: Node }
  | { type: "logic"; op: "&&" | "||"; left: Node; right: Node }
  | { type: "compare"; op: "==" | "!=" | "<" | "<=" | ">" | ">="; left: Node; right: Node }
  | { type: "arith"; op: "+" | "-" | "*" | "/" | "%"; left: Node; right: Node }
  | { type: "in"; left: Node; right: Node }
  | { type: "call"; name: string; target: Node | null; args: Node[] };

const FUNCTIONS = ["size", "has", "startsWith", "endsWith", "contains", "matches", "lowerAscii", "upperAscii"];
const SUPPORTED =
  "supported: event.* / async.* fields, string, number, boolean, null and list literals; == != < <= > >= in; " +
  "+ - * / %; && || ! and parentheses; size(), has(), .size(), .startsWith(), .endsWith(), .contains(), .matches(), " +
  ".lowerAscii(), .upperAscii()";

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
  const expect = (text: string) => {
    if (next() !== text) fail(`missing ${text}`);
  };
  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === "||") {
      next();
      left = { type: "logic", op: "||", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseRelation();
    while (peek() === "&&") {
      next();
      left = { type: "logic", op: "&&", left, right: parseRelation() };
    }
    return left;
  };
  const parseRelation = (): Node => {
    const left = parseAdditive();
    const op = peek();
    if (op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=") {
      next();
      return { type: "compare", op, left, right: parseAdditive() };
    }
    if (op === "in" && tokens[pos].kind === "ident") {
      next();
      return { type: "in", left, right: parseAdditive() };
    }
    return left;
  };
  const parseAdditive = (): Node => {
    let left = parseMultiplicative();
    while (peek() === "+" || peek() === "-") left = { type: "arith", op: next() as "+" | "-", left, right: parseMultiplicative() };
    return left;
  };
  const parseMultiplicative = (): Node => {
    let left = parseUnary();
    while (peek() === "*" || peek() === "/" || peek() === "%") left = { type: "arith", op: next() as "*" | "/" | "%", left, right: parseUnary() };
    return left;
  };
  const parseUnary = (): Node => {
    if (peek() === "!") {
      next();
      return { type: "not", operand: parseUnary() };
    }
    if (peek() === "-") {
      next();
      return { type: "negate", operand: parseUnary() };
    }
    return parsePostfix(parsePrimary());
  };
  const parseArgs = (): Node[] => {
    expect("(");
    const args: Node[] = [];
    while (peek() !== ")") {
      args.push(parseOr());
      if (peek() === ",") next();
      else if (peek() !== ")") fail("expected , or ) in an argument list");
    }
    next();
    return args;
  };
  const parsePostfix = (node: Node): Node => {
    for (;;) {
      if (peek() === ".") {
        next();
        const key = tokens[pos++];
        if (key?.kind !== "ident") fail("expected a field name after .");
        if (peek() === "(") {
          if (!FUNCTIONS.includes(key.text) || key.text === "has") fail(`unknown method .${key.text}()`);
          node = { type: "call", name: key.text, target: node, args: parseArgs() };
        } else {
          node = { type: "member", object: node, key: { type: "literal", value: key.text } };
        }
      } else if (peek() === "[") {
        next();
        const key = parseOr();
        expect("]");
        node = { type: "member", object: node, key };
      } else {
        return node;
      }
    }
  };
  const parsePrimary = (): Node => {
    const token = tokens[pos];
    if (!token) return fail("unexpected end");
    pos++;
    if (token.text === "(") {
      const inner = parseOr();
      expect(")");
      return inner;
    }
    if (token.text === "[") {
      const items: Node[] = [];
      while (peek() !== "]") {
        items.push(parseOr());
        if (peek() === ",") next();
        else if (peek() !== "]") fail("expected , or ] in a list");
      }
      next();
      return { type: "list", items };
    }
    if (token.kind === "string") return { type: "literal", value: token.value as string };
    if (token.kind === "number") return { type: "literal", value: token.value as number };
    if (token.kind === "ident") {
      if (token.text === "true" || token.text === "false") return { type: "literal", value: token.text === "true" };
      if (token.text === "null") return { type: "literal", value: null };
      if (token.text === "event" || token.text === "async") return { type: "root", name: token.text };
      if ((token.text === "size" || token.text === "has") && peek() === "(") {
        const args = parseArgs();
        if (args.length !== 1) fail(`${token.text}() takes one argument`);
        if (token.text === "has" && args[0].type !== "member") fail("has() takes a field such as event.data.x");
        return { type: "call", name: token.text, target: null, args };
      }
      return fail(`unknown name "${token.text}"`);
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
    case "root":
      return scope[node.name];
    case "member": {
      const object = evaluate(node.object, scope);
      const key = evaluate(node.key, scope);
      if (object === null || typeof object !== "object" || (typeof key !== "string" && typeof key !== "number")) return undefined;
      return Object.prototype.hasOwnProperty.call(object, key) ? (object as Record<string, unknown>)[key] : undefined;
    }
    case "list":
      return node.items.map((item) => evaluate(item, scope));
    case "not":
      return !truthy(evaluate(node.operand, scope));
    case "negate": {
      const value = evaluate(node.operand, scope);
      return typeof value === "number" ? -value : undefined;
    }
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
    case "arith": {
      const left = evaluate(node.left, scope);
      const right = evaluate(node.right, scope);
      if (node.op === "+" && typeof left === "string" && typeof right === "string") return left + right;
      if (node.op === "+" && Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
      if (typeof left !== "number" || typeof right !== "number") return undefined; // CEL: no mixed-type arithmetic
      if ((node.op === "/" || node.op === "%") && right === 0) return undefined; // CEL: division by zero is an error
      switch (node.op) {
        case "+": return left + right;
        case "-": return left - right;
        case "*": return left * right;
        case "/": return left / right;
        default: return left % right;
      }
    }
    case "in": {
      const left = evaluate(node.left, scope);
      const right = evaluate(node.right, scope);
      if (Array.isArray(right)) return left !== undefined && right.some((item) => jsonEqual(item, left));
      if (right !== null && typeof right === "object" && typeof left === "string") return Object.prototype.hasOwnProperty.call(right, left);
      return false;
    }
    case "call":
      return callFunction(node, scope);
  }
}

function callFunction(node: Extract<Node, { type: "call" }>, scope: { event?: unknown; async?: unknown }): unknown {
  if (node.name === "has") return evaluate(node.args[0], scope) !== undefined;
  const target = node.target ? evaluate(node.target, scope) : evaluate(node.args[0], scope);
  const args = (node.target ? node.args : node.args.slice(1)).map((arg) => evaluate(arg, scope));
  if (node.name === "size") {
    if (typeof target === "string") return [...target].length;
    if (Array.isArray(target)) return target.length;
    if (target !== null && typeof target === "object") return Object.keys(target).length;
    return undefined;
  }
  if (typeof target !== "string") return undefined;
  const [arg] = args;
  switch (node.name) {
    case "lowerAscii":
      return target.replace(/[A-Z]/g, (c) => c.toLowerCase());
    case "upperAscii":
      return target.replace(/[a-z]/g, (c) => c.toUpperCase());
  }
  if (typeof arg !== "string") return undefined;
  switch (node.name) {
    case "startsWith":
      return target.startsWith(arg);
    case "endsWith":
      return target.endsWith(arg);
    case "contains":
      return target.includes(arg);
    case "matches":
      return matches(target, arg);
  }
  return undefined;
}

const patterns = new Map<string, RegExp | null>();
/** CEL's matches() is RE2, a search anywhere in the string; JavaScript's syntax agrees for the common subset. */
function matches(text: string, pattern: string): boolean | undefined {
  if (!patterns.has(pattern)) {
    let compiled: RegExp | null = null;
    try {
      compiled = new RegExp(pattern, "u");
    } catch {
      compiled = null;
    }
    if (patterns.size > 500) patterns.clear();
    patterns.set(pattern, compiled);
  }
  const regex = patterns.get(pattern);
  return regex ? regex.test(text) : undefined;
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
    if ("<>!().[]+-*/%,".includes(c)) {
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
    const number = /^\d+(\.\d+)?/.exec(source.slice(i));
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
