// The caps one execution of user code runs under. Close to what Zapier's Code step allows (seconds
// of CPU, a few dozen MB): enough to reshape a payload, not enough to starve other runs.

export interface CodeLimits {
  /** Wall time for the code, from the moment its sandbox starts it (time waiting for a free sandbox does not count). */
  timeoutMs: number;
  /** QuickJS heap of one execution: the input data, everything the code allocates, and the result. */
  memoryBytes: number;
}

export const DEFAULT_CODE_LIMITS: CodeLimits = {
  timeoutMs: 5_000,
  memoryBytes: 64 * 1024 * 1024,
};

/**
 * QuickJS's own stack cap. Deep recursion then fails with QuickJS's "stack overflow" well before
 * the worker thread's native stack (WORKER_STACK_MB) runs out; measured: ~2 native bytes per byte of this.
 */
export const QUICKJS_STACK_BYTES = 512 * 1024;
export const WORKER_STACK_MB = 4;

/** console.* output kept per execution: enough to debug, bounded so a loop of logs cannot fill the run log. */
export const CONSOLE_LIMITS = { lines: 100, lineChars: 2_000, totalChars: 32_000 } as const;

/** The returned value as JSON text. Step outputs are stored in PostgreSQL and shown in the run log. */
export const MAX_OUTPUT_CHARS = 4 * 1024 * 1024;

/**
 * Extra time the host gives a sandbox after the code's deadline before it ends the worker thread:
 * QuickJS checks its deadline every few thousand operations, so a loop of slow built-ins
 * ('x'.repeat(1e7) in a loop) can run past it; the host's timer is the cap that always holds.
 */
export const HARD_STOP_GRACE_MS = 250;
