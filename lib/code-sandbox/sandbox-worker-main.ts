// The body of a code sandbox worker thread: loads QuickJS once, then runs one request at a time
// for the pool in the parent thread. A failure outside QuickJS's own checks (the thread's native
// stack ran out inside WebAssembly) leaves the module in an unknown state: it answers, then exits,
// and the pool starts a fresh thread.
import { parentPort } from "node:worker_threads";
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import type { CodeError, CodeResult, SyntaxCheck } from "./code-result";
import { checkSyntaxInQuickJS, executeInQuickJS, SandboxDamagedError } from "./execute-in-quickjs";
// Types only: the worker loads no zod (start-up time); the pool parses what the worker sends back.
import type { FromWorker, ToWorker } from "./worker-messages";

const port = parentPort;
if (!port) throw new Error("sandbox-worker-main runs in a worker thread");

const quickjs = await newQuickJSWASMModuleFromVariant(variant);
// The first execution of a fresh module is several times slower (WebAssembly tiers up): pay it before "ready".
executeInQuickJS(quickjs, { source: "return [1].map((n) => n + 1)", names: [], valuesJson: "[]", limits: { timeoutMs: 1_000, memoryBytes: 8 * 1024 * 1024 } });

port.on("message", (message: ToWorker) => {
  const started = performance.now();
  let reply: FromWorker;
  let healthy = true;
  try {
    reply =
      message.type === "run"
        ? { id: message.id, type: "run", result: executeInQuickJS(quickjs, message.request) }
        : { id: message.id, type: "check", result: checkSyntaxInQuickJS(quickjs, message.source, message.names) };
  } catch (thrown) {
    healthy = false;
    if (thrown instanceof SandboxDamagedError) {
      // The code's own outcome was known before QuickJS failed: report that, not the crash.
      reply = message.type === "run" ? { id: message.id, type: "run", result: thrown.result as CodeResult } : { id: message.id, type: "check", result: thrown.result as SyntaxCheck };
    } else {
      const error = hostFailure(thrown, message.type);
      reply = message.type === "run" ? { id: message.id, type: "run", result: { ok: false, error, logs: [], durationMs: performance.now() - started } } : { id: message.id, type: "check", result: { ok: false, error } };
    }
  }
  port.postMessage({ ...reply, retiring: !healthy });
  if (!healthy) process.exit(1);
});

port.postMessage({ type: "ready" } satisfies FromWorker);

function hostFailure(thrown: unknown, request: ToWorker["type"]): CodeError {
  if (thrown instanceof RangeError && /call stack/i.test(thrown.message)) {
    if (request === "check") return { kind: "stack", message: "The code is nested too deeply to compile" };
    return { kind: "stack", message: "Maximum call stack size exceeded: a function calls itself too deeply (or a value is nested too deeply)" };
  }
  return { kind: "crash", message: `The code sandbox failed: ${thrown instanceof Error ? thrown.message : String(thrown)}` };
}
