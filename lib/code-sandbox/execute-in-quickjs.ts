// Runs one piece of user code in a fresh QuickJS runtime (its own heap, memory cap, stack cap and
// deadline) and disposes it. Runs inside a sandbox worker thread (sandbox-worker-main.ts), never on
// the app's main thread: a loop of slow built-ins can overrun QuickJS's deadline check, and the
// host then ends the whole thread.
//
// The user's source is the body of an async function (like n8n's Code node and Zapier's Code
// step): `return` gives the output, `await` works on promises made inside the sandbox, and the
// variables (trigger, steps, run…) are its parameters, copied in as JSON. There are no timers, no
// network, no file system and no modules: a plain QuickJS context has none of them.
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import type { CodeError, CodeResult, ConsoleLine, SyntaxCheck } from "./code-result";
import { CONSOLE_LIMITS, MAX_OUTPUT_CHARS, QUICKJS_STACK_BYTES, type CodeLimits } from "./limits";
import { PRELUDE_FILENAME, PRELUDE_SOURCE } from "./sandbox-prelude";

export interface CodeRequest {
  source: string;
  /** Parameter names of the user's function, in order, and their values as one JSON array. */
  names: string[];
  valuesJson: string;
  limits: CodeLimits;
}

const CODE_FILENAME = "code.js";
// The source starts on the wrapper's second line: reported lines are one less, columns unchanged.
const WRAPPER_LINES = 1;

function wrap(source: string, names: readonly string[]): string {
  return `(async function (${names.join(", ")}) { "use strict";\n${source}\n})`;
}

/**
 * QuickJS failed while freeing a runtime after the code's result was known (an assertion abort in
 * WebAssembly, seen after a parser stack overflow): the result stands, the module does not.
 */
export class SandboxDamagedError<Result> extends Error {
  constructor(
    readonly result: Result,
    cause: unknown,
  ) {
    super(`QuickJS failed while freeing a runtime: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "SandboxDamagedError";
  }
}

/** A fresh runtime and context for `body`, freed afterwards along with the handles it kept. */
function inFreshRuntime<Result>(module: QuickJSWASMModule, limits: CodeLimits, body: (runtime: QuickJSRuntime, context: QuickJSContext, keep: (handle: QuickJSHandle) => QuickJSHandle) => Result): Result {
  const runtime = newLimitedRuntime(module, limits);
  const context = runtime.newContext();
  const handles: QuickJSHandle[] = [];
  const release = () => {
    for (const handle of handles.reverse()) if (handle.alive) handle.dispose();
    context.dispose();
    runtime.dispose();
  };
  let result: Result;
  try {
    result = body(runtime, context, (handle) => (handles.push(handle), handle));
  } catch (error) {
    try {
      release();
    } catch {
      // The original failure says more; the worker retires either way.
    }
    throw error;
  }
  try {
    release();
  } catch (error) {
    throw new SandboxDamagedError(result, error);
  }
  return result;
}

export function checkSyntaxInQuickJS(module: QuickJSWASMModule, source: string, names: readonly string[]): SyntaxCheck {
  return inFreshRuntime(module, { timeoutMs: 2_000, memoryBytes: 16 * 1024 * 1024 }, (_runtime, context, keep) => {
    const compiled = context.evalCode(wrap(source, names), CODE_FILENAME, { compileOnly: true });
    if (compiled.error) return { ok: false, error: describeError(context, keep(compiled.error), source, "syntax") };
    keep(compiled.value);
    return { ok: true };
  });
}

export function executeInQuickJS(module: QuickJSWASMModule, request: CodeRequest): CodeResult {
  const started = performance.now();
  const logs = new ConsoleCollector();
  return inFreshRuntime(module, request.limits, (runtime, context, keep) => runInContext(runtime, context, keep, request, logs, started));
}

function runInContext(runtime: QuickJSRuntime, context: QuickJSContext, keep: (handle: QuickJSHandle) => QuickJSHandle, request: CodeRequest, logs: ConsoleCollector, started: number): CodeResult {
  const finish = (result: { ok: true; output: Extract<CodeResult, { ok: true }>["output"] } | { ok: false; error: CodeError }): CodeResult => ({
    ...result,
    logs: logs.lines(),
    durationMs: performance.now() - started,
  });
  const emit = keep(
    context.newFunction("emit", (level, message) => {
      logs.add(context.getString(level), context.getString(message));
    }),
  );
  const toJsonText = keep(context.unwrapResult(context.callFunction(keep(context.unwrapResult(context.evalCode(PRELUDE_SOURCE, PRELUDE_FILENAME))), context.undefined, emit)));

  const compiled = context.evalCode(wrap(request.source, request.names), CODE_FILENAME);
  if (compiled.error) return finish({ ok: false, error: describeError(context, keep(compiled.error), request.source, "syntax") });
  const userFunction = keep(compiled.value);

  const parse = keep(context.getProp(keep(context.getProp(context.global, "JSON")), "parse"));
  const values = keep(context.unwrapResult(context.callFunction(parse, context.undefined, keep(context.newString(request.valuesJson)))));
  const args = request.names.map((_, index) => keep(context.getProp(values, index)));

  const called = context.callFunction(userFunction, context.undefined, ...args);
  if (called.error) return finish({ ok: false, error: describeError(context, keep(called.error), request.source, "runtime") });
  const promise = keep(called.value);
  // Promises inside the sandbox settle by running its job queue; nothing outside can settle them later.
  const jobs = runtime.executePendingJobs();
  if (jobs.error) return finish({ ok: false, error: describeError(context, keep(jobs.error), request.source, "runtime") });
  const state = context.getPromiseState(promise);
  if (state.type === "pending") {
    return finish({ ok: false, error: { kind: "runtime", message: "The code awaited something that never settles (there are no timers or network here): return a value instead" } });
  }
  if (state.type === "rejected") return finish({ ok: false, error: describeError(context, keep(state.error), request.source, "runtime") });
  const returned = keep(state.value);

  const json = context.callFunction(toJsonText, context.undefined, returned);
  if (json.error) {
    const error = describeError(context, keep(json.error), request.source, "output");
    return finish({ ok: false, error: error.kind === "output" ? { kind: "output", message: error.message.replace(/^TypeError: /, "") } : error });
  }
  const text = context.getString(keep(json.value));
  if (text.length > MAX_OUTPUT_CHARS) {
    return finish({ ok: false, error: { kind: "output", message: `The returned value is ${formatSize(text.length)} as JSON; the most a code step may return is ${formatSize(MAX_OUTPUT_CHARS)}` } });
  }
  return finish({ ok: true, output: JSON.parse(text) });
}

function newLimitedRuntime(module: QuickJSWASMModule, limits: CodeLimits): QuickJSRuntime {
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(QUICKJS_STACK_BYTES);
  const deadline = Date.now() + limits.timeoutMs;
  runtime.setInterruptHandler(() => Date.now() > deadline);
  return runtime;
}

/** Turns what QuickJS threw into a message with the position in the user's source. */
function describeError(context: QuickJSContext, thrown: QuickJSHandle, source: string, fallbackKind: CodeError["kind"]): CodeError {
  const limits = { memory: "out of memory", stack: "stack overflow", timeout: "interrupted" };
  if (context.typeof(thrown) !== "object") {
    return { kind: fallbackKind, message: `Uncaught ${context.typeof(thrown) === "string" ? JSON.stringify(context.getString(thrown)) : String(context.dump(thrown))}` };
  }
  const name = readString(context, thrown, "name") ?? "Error";
  const message = readString(context, thrown, "message") ?? "";
  const stack = readString(context, thrown, "stack") ?? "";
  if (name === "InternalError" && message === limits.timeout) return { kind: "timeout", message: "The code ran past its time limit and was stopped" };
  if (name === "InternalError" && message === limits.memory) return { kind: "memory", message: "The code used more memory than a code step may and was stopped" };
  if (name === "InternalError" && message === limits.stack) {
    if (fallbackKind === "syntax") return { kind: "stack", message: "The code is nested too deeply to compile" };
    return { kind: "stack", message: "Maximum call stack size exceeded: a function calls itself too deeply (or a value is nested too deeply)" };
  }
  const position = positionIn(stack, source);
  const text = `${name}: ${message}`;
  return { kind: fallbackKind, message: position ? `${text} (line ${position.line}, column ${position.column})` : text, ...position };
}

function readString(context: QuickJSContext, object: QuickJSHandle, key: string): string | undefined {
  const handle = context.getProp(object, key);
  try {
    return context.typeof(handle) === "string" ? context.getString(handle) : undefined;
  } finally {
    handle.dispose();
  }
}

/** The first frame in the user's code, e.g. "    at f (code.js:3:7)", as a position in their source. */
function positionIn(stack: string, source: string): { line: number; column: number } | undefined {
  const match = new RegExp(`${CODE_FILENAME.replace(".", "\\.")}:(\\d+):(\\d+)`).exec(stack);
  if (!match) return undefined;
  const sourceLines = source.split("\n");
  const line = Number(match[1]) - WRAPPER_LINES;
  // Past the end (the wrapper's closing line: an unclosed block): point after the last character.
  if (line > sourceLines.length) return { line: sourceLines.length, column: sourceLines[sourceLines.length - 1].length + 1 };
  return { line: Math.max(line, 1), column: Math.max(Number(match[2]), 1) };
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}

/** console.* lines within CONSOLE_LIMITS, and a last line saying how many were left out. */
class ConsoleCollector {
  private kept: ConsoleLine[] = [];
  private chars = 0;
  private dropped = 0;

  add(level: string, message: string) {
    const text = message.length > CONSOLE_LIMITS.lineChars ? `${message.slice(0, CONSOLE_LIMITS.lineChars)}… (${message.length} characters)` : message;
    if (this.kept.length >= CONSOLE_LIMITS.lines || this.chars + text.length > CONSOLE_LIMITS.totalChars) {
      this.dropped++;
      return;
    }
    this.chars += text.length;
    this.kept.push({ level: level === "info" || level === "warn" || level === "error" ? level : "log", message: text });
  }

  lines(): ConsoleLine[] {
    return this.dropped ? [...this.kept, { level: "warn", message: `${this.dropped} more console line(s) not kept (at most ${CONSOLE_LIMITS.lines} lines, ${CONSOLE_LIMITS.totalChars} characters)` }] : this.kept;
  }
}
