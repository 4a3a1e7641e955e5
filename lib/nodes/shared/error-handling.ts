// What happens when an action node fails after its retries: the per-node `onError` setting, stored
// in the node's config beside its `retry` override. It applies to every non-trigger kind, so it is
// read here rather than in each kind's schema (which would drop it: zod objects strip unknown keys).
// Client-safe: the inspector, the canvas and the validator use it as well as the runtime.
import { z } from "zod";

export const ON_ERROR_MODES = ["fail", "continue", "route"] as const;
export type OnErrorMode = (typeof ON_ERROR_MODES)[number];

export const ON_ERROR_LABELS: Record<OnErrorMode, string> = {
  fail: "Stop the run (it fails)",
  continue: "Continue with the error as output",
  route: "Route to the error output",
};

/** The extra output port a node set to "route" gets; taken only when it fails for good. */
export const ERROR_PORT = "error";

export const onErrorSchema = z.enum(ON_ERROR_MODES);

/** How a failure of the node was handled, as the run log records it on the failed step. */
export const HANDLED_AS = ["continued", "routed"] as const;
export type HandledAs = (typeof HANDLED_AS)[number];

/** The run log's words for a handled failure. */
export const HANDLED_LABELS: Record<HandledAs, string> = { continued: "handled: continued", routed: "handled: routed to error" };

/** The raw setting of a node's config: undefined when absent (same as "fail"), else what is stored. */
function storedOnError(config: unknown): unknown {
  return config && typeof config === "object" ? (config as Record<string, unknown>).onError : undefined;
}

/** What of a kind's definition decides whether its nodes can handle their own failures. */
export type ErrorHandlingKind = { isTrigger: boolean; loop?: unknown } | undefined;

/**
 * Action nodes can; triggers cannot (nothing runs before them), nor loops (an item's failure is
 * handled by the onError of the item branch's steps; execute-loop.ts fails the loop otherwise).
 */
export function canHandleErrors(kind: ErrorHandlingKind): boolean {
  return !!kind && !kind.isTrigger && !kind.loop;
}

/** The node's mode; "fail" for kinds that cannot handle errors and for a missing or invalid value (the validator reports the latter). */
export function onErrorOf(node: { config: unknown }, kind: ErrorHandlingKind): OnErrorMode {
  if (!canHandleErrors(kind)) return "fail";
  const parsed = onErrorSchema.safeParse(storedOnError(node.config));
  return parsed.success ? parsed.data : "fail";
}

/** A message when the stored setting is not one of the modes or not allowed on the kind (null: fine or absent). */
export function onErrorIssue(config: unknown, kind: ErrorHandlingKind): string | null {
  const value = storedOnError(config);
  if (value === undefined || !kind) return null;
  if (!canHandleErrors(kind) && value !== "fail") {
    return kind.isTrigger
      ? `onError: triggers cannot handle their own errors (remove "${String(value)}")`
      : `onError: loops cannot handle their own errors; set "On error" on the steps of the item branch instead (remove "${String(value)}")`;
  }
  return onErrorSchema.safeParse(value).success ? null : `onError: must be one of ${ON_ERROR_MODES.join(", ")} (got ${JSON.stringify(value)})`;
}

/** A node's ports with the error port added when it routes its failures. */
export function withErrorPort(ports: string[], mode: OnErrorMode): string[] {
  return mode === "route" && !ports.includes(ERROR_PORT) ? [...ports, ERROR_PORT] : ports;
}

/** What a handled failure gives later steps as the node's output: `{{ steps.<id>.error.message }}`. */
export interface HandledErrorOutput {
  error: { message: string; code: string | number | null; status?: number };
}

/** A step's example output (what the variable picker shows) with the error a handled failure outputs instead. */
export function handledErrorExample(example: unknown): unknown {
  const error: HandledErrorOutput = { error: { message: "POST https://api.example.com answered HTTP 500", code: "unexpected_status", status: 500 } };
  return example && typeof example === "object" && !Array.isArray(example) ? { ...example, ...error } : error;
}

export function handledErrorOutput(record: Record<string, unknown>): HandledErrorOutput {
  const code = record.code;
  return {
    error: {
      message: String(record.message ?? "The step failed"),
      code: typeof code === "string" || typeof code === "number" ? code : null,
      ...(typeof record.status === "number" ? { status: record.status } : {}),
    },
  };
}
