// Server-only contract between the interpreter (lib/flows) and each kind's run.ts.
import type { CredentialData, CredentialType } from "@/lib/credentials/credential-types";
import type { ExpressionContext } from "@/lib/expressions/expression-context";
import type { ExpressionWarning } from "@/lib/expressions/missing-path";
import type { OutboundRequest, OutboundResponse } from "@/lib/net/guarded-request";
import type { RunRequestedData } from "@/lib/runs/run-events";
import type { RetryPolicy } from "./shared/retry-policy";

export interface NodeRunContext<Config> {
  /** The node's config, parsed by its schema, with every `{{ … }}` already resolved. */
  config: Config;
  node: { id: string; name: string; kind: string };
  run: { id: string; flowId: string; workspaceId: string; attempt: number; isTest: boolean };
  /** The expression context (for kinds that evaluate raw JSONata themselves, like transform). */
  expressionContext: ExpressionContext;
  /** Paths expressions read that were missing (missingPathWarnings); recorded on the step. */
  warnings: ExpressionWarning[];
  /** Lines the step printed (a code step's console); recorded on the step, also when it fails. */
  logs: StepLogLine[];
  /** Stable across attempts of this node in this run: send it so a repeated step is not a repeated effect. */
  idempotencyKey: string;
  retryPolicy: RetryPolicy;
  /** Decrypts a credential of this workspace; its secrets are scrubbed from stored records. */
  getCredential<T extends CredentialType>(id: string, types: readonly T[]): Promise<CredentialData<T>>;
  /** Outbound HTTP through the SSRF guard with the workspace's allowed hosts. */
  request(request: Omit<OutboundRequest, "allowedHosts">): Promise<OutboundResponse>;
  /**
   * Resolves a non-HTTP destination (SMTP host) once and returns the address to connect to;
   * throws BlockedDestinationError when it is internal and not allowed.
   */
  assertHostAllowed(host: string): Promise<string>;
  /**
   * Starts a run of another published flow of this workspace as this node's child (one per run and
   * node, so a repeated step finds the run it started). With `wait` the caller starts it (an "invoke"
   * pause); without, the outbox sends it like any other run.
   */
  startChildRun(request: { flowId: string; input: unknown; wait: boolean }): Promise<{ runId: string; flowName: string; request: RunRequestedData }>;
}

export interface StepLogLine {
  level: "log" | "info" | "warn" | "error";
  message: string;
}

/** What a node produced. `ports` lists the active output ports (default: all of them). */
export interface NodeResult {
  output: unknown;
  ports?: string[];
}

/** A node that pauses the run: sleep until a time, or wait for an event (with timeout). */
export type NodePause =
  | { pause: "sleep"; until: string; output: unknown }
  | { pause: "wait_for_event"; event: string; match: string; timeoutMs: number; output: unknown }
  /** Run another flow's run and wait for its end (Inngest step.invoke); resume gets its result as the event's data. */
  | { pause: "invoke"; run: RunRequestedData; output: unknown };

export interface NodeRunner<Config = unknown> {
  run(ctx: NodeRunContext<Config>): Promise<NodeResult | NodePause>;
  /** After a pause: the event that arrived (null on timeout, or after a sleep). */
  resume?(ctx: NodeRunContext<Config>, event: { data: unknown } | null, pauseOutput: unknown): Promise<NodeResult>;
  /** Checks at publish that need the server (a code node compiles its source); each problem names its config field. */
  checkAtPublish?(config: Config): Promise<{ field?: string; message: string }[]>;
}

export function isPause(result: NodeResult | NodePause): result is NodePause {
  return "pause" in result;
}

/** A failure with the facts the retry logic and the run log need. */
export class NodeError extends Error {
  constructor(
    message: string,
    readonly details: { retryable: boolean; status?: number; body?: unknown; retryAfterMs?: number; code?: string } = { retryable: false },
  ) {
    super(message);
    this.name = "NodeError";
  }
}
