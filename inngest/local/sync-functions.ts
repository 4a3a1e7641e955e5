// Learns the app's functions from its serve endpoint: an in-band sync (PUT with
// `X-Inngest-Sync-Kind: in_band`) makes the SDK answer with every function's configuration.
import { CronSyntaxError, parseCron, type CronSchedule } from "@/lib/schedules/parse-cron";
import { compileExpression, compileValueExpression, type Expression } from "./compile-expression";
import { parseDuration } from "./durations";
import { canonicalJson, signatureHeader } from "./sign-request";

/** Inngest's default when a function sets no `retries`: 4 retries, 5 attempts. */
export const DEFAULT_RETRIES = 4;

export interface FunctionDefinition {
  id: string;
  name: string;
  /** The serve URL of the function's step endpoint (carries `fnId` and `stepId=step`). */
  url: string;
  /** `matches(name)`: the event name, or a trailing wildcard such as `app/user.*` (Inngest's rule). */
  triggers: { event: string; matches: (name: string) => boolean; expression: Expression | null }[];
  /** Cron triggers: the function runs at each of their times, with the `inngest/scheduled.timer` event (cron-triggers.ts). */
  crons: CronSchedule[];
  /** Set on an SDK onFailure handler (`<fn>-failure`, triggered by inngest/function.failed of <fn>): that function's id. */
  failureHandlerOf: string | null;
  /** Attempts per step (and for the function body): retries + 1. */
  maxAttempts: number;
  concurrency: { limit: number; key: ((scope: { event: unknown }) => unknown) | null; scope: "fn" | "env" | "account" } | null;
  idempotency: ((scope: { event: unknown }) => unknown) | null;
  cancelOn: { event: string; expression: string | null; timeoutMs: number | null }[];
}

interface RawFunctionConfig {
  id: string;
  name?: string;
  triggers?: { event?: string; expression?: string; cron?: string; jitter?: string }[];
  steps?: Record<string, { runtime?: { url?: string }; retries?: { attempts?: number } }>;
  concurrency?: number | { limit: number; key?: string; scope?: string } | { limit: number; key?: string; scope?: string }[];
  idempotency?: string;
  cancel?: { event: string; if?: string; timeout?: string }[];
  [feature: string]: unknown;
}

const UNSUPPORTED_FEATURES = ["batchEvents", "rateLimit", "throttle", "debounce", "priority", "singleton", "timeouts"];

/** Calls the serve endpoint and returns the app's functions, or throws naming what is unsupported. */
export async function syncFunctions(serveUrl: string, signingKey: string): Promise<FunctionDefinition[]> {
  const body = canonicalJson({ url: serveUrl });
  const response = await fetch(serveUrl, {
    method: "PUT",
    headers: {
      "content-type": "application/json",
      "x-inngest-sync-kind": "in_band",
      "x-inngest-signature": signatureHeader(body, signingKey),
    },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Sync with ${serveUrl} failed: HTTP ${response.status} ${text.slice(0, 300)}`);
  if (response.headers.get("x-inngest-sync-kind") !== "in_band") {
    throw new Error(`Sync with ${serveUrl} failed: the serve endpoint did not answer an in-band sync (INNGEST_ALLOW_IN_BAND_SYNC=0?)`);
  }
  const description = JSON.parse(text) as { functions?: RawFunctionConfig[] };
  return (description.functions ?? []).map(toDefinition);
}

/** Converts one SDK function configuration, rejecting what the engine does not implement. */
export function toDefinition(raw: RawFunctionConfig): FunctionDefinition {
  const where = `function "${raw.id}"`;
  const used = UNSUPPORTED_FEATURES.filter((feature) => raw[feature] !== undefined && raw[feature] !== null);
  if (used.length) {
    throw new Error(
      `The embedded engine does not support ${used.join(", ")} (${where}). Remove it or run on Inngest (set INNGEST_DEV or INNGEST_BASE_URL).`,
    );
  }
  const step = Object.values(raw.steps ?? {})[0];
  if (!step?.runtime?.url) throw new Error(`${where} has no step URL in its configuration`);
  const triggers: FunctionDefinition["triggers"] = [];
  const crons: CronSchedule[] = [];
  for (const trigger of raw.triggers ?? []) {
    if (trigger.cron !== undefined) {
      crons.push(cronAt(where, trigger.cron, trigger.jitter));
    } else if (trigger.event) {
      triggers.push({ event: trigger.event, matches: eventMatcher(where, trigger.event), expression: compileAt(where, "trigger if", trigger.expression) });
    } else {
      throw new Error(`${where}: a trigger must supply an event name or a cron schedule`);
    }
  }
  const retries = step.retries?.attempts ?? DEFAULT_RETRIES;
  return {
    id: raw.id,
    name: raw.name ?? raw.id,
    url: step.runtime.url,
    triggers,
    crons,
    failureHandlerOf: failureHandlerOf(raw),
    maxAttempts: Math.max(1, retries + 1),
    concurrency: toConcurrency(where, raw.concurrency),
    idempotency: raw.idempotency ? compileValueAt(where, "idempotency", raw.idempotency) : null,
    cancelOn: (raw.cancel ?? []).map((rule) => {
      if (rule.if) compileAt(where, "cancelOn if", rule.if);
      return { event: rule.event, expression: rule.if ?? null, timeoutMs: rule.timeout ? parseDuration(rule.timeout) : null };
    }),
  };
}

/**
 * Inngest accepts one wildcard, at the end of the name after a "/" or "." (`app/*`, `app/user.*`),
 * matching every event whose name starts with what comes before it. Any other "*" is refused.
 */
export function eventMatcher(where: string, pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const prefix = pattern.slice(0, -1);
  if (!/[./]\*$/.test(pattern) || prefix.includes("*")) {
    throw new Error(`${where}: trigger "${pattern}": a wildcard must be the last character, after "/" or "." (e.g. "app/user.*")`);
  }
  return (name) => name.startsWith(prefix) && name.length > prefix.length;
}

/** Inngest refuses an invalid cron at sync with the expression and the reason; so does the engine. */
function cronAt(where: string, expression: string, jitter: string | undefined): CronSchedule {
  if (jitter) throw new Error(`The embedded engine does not support cron jitter (${where}, cron "${expression}"). Remove it or run on Inngest.`);
  try {
    return parseCron(expression);
  } catch (error) {
    if (error instanceof CronSyntaxError) throw new Error(`${where}: ${error.message}`);
    throw error;
  }
}

/** The SDK registers `onFailure` as `<fn id>-failure`, triggered by inngest/function.failed with `event.data.function_id == '<fn id>'`. */
function failureHandlerOf(raw: RawFunctionConfig): string | null {
  if (!raw.id.endsWith("-failure") || raw.triggers?.length !== 1) return null;
  const [trigger] = raw.triggers;
  const target = raw.id.slice(0, -"-failure".length);
  const pinned = /^\s*event\.data\.function_id\s*==\s*(['"])(.*)\1\s*$/.exec(trigger.expression ?? "");
  return trigger.event === "inngest/function.failed" && pinned?.[2] === target ? target : null;
}

function toConcurrency(where: string, raw: RawFunctionConfig["concurrency"]): FunctionDefinition["concurrency"] {
  if (raw === undefined || raw === null) return null;
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) return null;
  if (list.length > 1) throw new Error(`The embedded engine supports one concurrency limit per function; ${where} has ${list.length}`);
  const rule = typeof list[0] === "number" ? { limit: list[0] } : list[0];
  if (!Number.isInteger(rule.limit) || rule.limit < 0) throw new Error(`${where}: concurrency limit must be a whole number`);
  if (rule.limit === 0) return null; // Inngest: 0 means "no limit".
  const scope = (rule.scope ?? "fn") as "fn" | "env" | "account";
  if (!["fn", "env", "account"].includes(scope)) throw new Error(`${where}: unknown concurrency scope "${rule.scope}"`);
  return { limit: rule.limit, key: rule.key ? compileValueAt(where, "concurrency key", rule.key) : null, scope };
}

function compileAt(where: string, what: string, source: string | undefined): Expression | null {
  if (!source) return null;
  try {
    return compileExpression(source);
  } catch (error) {
    throw new Error(`${where}, ${what}: ${(error as Error).message}`);
  }
}

function compileValueAt(where: string, what: string, source: string) {
  try {
    return compileValueExpression(source);
  } catch (error) {
    throw new Error(`${where}, ${what}: ${(error as Error).message}`);
  }
}
