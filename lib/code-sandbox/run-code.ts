// Server-only: run user JavaScript in the QuickJS sandbox, or check that it compiles.
//
// The source is the body of an async function whose parameters are the variables' names
// (trigger, steps, run…): `return` gives the output, `await` works on promises made inside.
// Variables go in as JSON copies; the returned value must be JSON (undefined becomes null).
import type { CodeResult, SyntaxCheck } from "./code-result";
import { processSlot } from "@/lib/process-singletons";
import { DEFAULT_CODE_LIMITS, type CodeLimits } from "./limits";
import { SandboxPool } from "./sandbox-pool";

/** Threads per process: one runaway code step (up to its time cap) leaves the other one free. */
const SANDBOX_THREADS = 2;

const pool = processSlot<SandboxPool>("codeSandbox");

function sandboxPool(): SandboxPool {
  pool.value ??= new SandboxPool(SANDBOX_THREADS);
  return pool.value;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function parameterNames(names: string[]): string[] {
  const invalid = names.find((name) => !IDENTIFIER.test(name));
  if (invalid !== undefined) throw new Error(`Code variable name "${invalid}" is not a JavaScript identifier`);
  return names;
}

export function runCode(source: string, variables: Record<string, unknown>, limits: Partial<CodeLimits> = {}): Promise<CodeResult> {
  const names = parameterNames(Object.keys(variables));
  const valuesJson = JSON.stringify(names.map((name) => variables[name] ?? null));
  return sandboxPool().run({ source, names, valuesJson, limits: { ...DEFAULT_CODE_LIMITS, ...limits } });
}

/** Compiles without running: the syntax error with its line and column, if any. */
export function checkCodeSyntax(source: string, variableNames: string[]): Promise<SyntaxCheck> {
  return sandboxPool().checkSyntax(source, parameterNames(variableNames));
}

/** Starts the sandbox threads ahead of the first code step (they take a second or two to start). */
export function warmCodeSandbox(): Promise<void> {
  return sandboxPool().warm();
}

/** Ends the sandbox threads (tests, shutdown); the next call starts fresh ones. */
export async function closeCodeSandbox(): Promise<void> {
  const current = pool.value;
  pool.value = undefined;
  await current?.close();
}
