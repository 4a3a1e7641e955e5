// What one execution of user code gives back: shared by the sandbox worker, its pool and the code
// node. Parsed with zod where it crosses the worker boundary.
import { z } from "zod";

export const CONSOLE_LEVELS = ["log", "info", "warn", "error"] as const;

export const consoleLineSchema = z.object({
  level: z.enum(CONSOLE_LEVELS),
  message: z.string(),
});
export type ConsoleLine = z.infer<typeof consoleLineSchema>;

/**
 * Why code failed: `syntax` (it does not compile), `runtime` (it threw or rejected), `timeout`,
 * `memory`, `stack` (recursion too deep), `output` (the returned value is not JSON or too big),
 * `crash` (the sandbox itself stopped; the code is the likely cause).
 */
export const CODE_ERROR_KINDS = ["syntax", "runtime", "timeout", "memory", "stack", "output", "crash"] as const;

export const codeErrorSchema = z.object({
  kind: z.enum(CODE_ERROR_KINDS),
  /** One line a user can act on, with the position when known: "TypeError: x is not a function (line 3, column 7)". */
  message: z.string(),
  /** Position in the user's source, 1-based, when the error has one. */
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
});
export type CodeError = z.infer<typeof codeErrorSchema>;

export const codeResultSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), output: z.json(), logs: z.array(consoleLineSchema), durationMs: z.number() }),
  z.object({ ok: z.literal(false), error: codeErrorSchema, logs: z.array(consoleLineSchema), durationMs: z.number() }),
]);
export type CodeResult = z.infer<typeof codeResultSchema>;

export const syntaxCheckSchema = z.object({ ok: z.literal(true) }).or(z.object({ ok: z.literal(false), error: codeErrorSchema }));
export type SyntaxCheck = z.infer<typeof syntaxCheckSchema>;
