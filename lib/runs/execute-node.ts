// Server-only: one attempt of one node outside any engine: parse its config, resolve
// expressions, hand the runner its context, and classify failures for the retry logic.
import { ZodError } from "zod";
import type { PrismaClient } from "@/lib/db/client";
import { CredentialResolveError, resolveCredential, secretStringsOf } from "@/lib/credentials/resolve-credential";
import type { ExpressionContext, TriggerPayload } from "@/lib/expressions/expression-context";
import { ExpressionError } from "@/lib/expressions/expression-error";
import type { ExpressionWarning } from "@/lib/expressions/missing-path";
import { resolveTemplates } from "@/lib/expressions/resolve-templates";
import type { GraphNode } from "@/lib/flows/graph";
import { assertHostAllowed } from "@/lib/net/assert-host-allowed";
import { guardedRequest } from "@/lib/net/guarded-request";
import { fieldSyntaxOf, getNodeDefinition, type NodeKind } from "@/lib/nodes/definitions";
import { isPause, NodeError, type NodePause, type NodeRunContext, type NodeRunner, type StepLogLine } from "@/lib/nodes/node-runner";
import { nodeRunners } from "@/lib/nodes/runners";
import { sensitiveValuesIn } from "./prepare-for-storage";
import { startChildRun } from "./start-child-run";
import { effectiveRetryPolicy, type RetryOverride, type RetryPolicy } from "@/lib/nodes/shared/retry-policy";

export interface RunFacts {
  id: string;
  flowId: string;
  workspaceId: string;
  isTest: boolean;
  allowedHosts: string[];
  trigger: TriggerPayload;
}

export interface NodeAttemptInput {
  prisma: PrismaClient;
  run: RunFacts;
  node: GraphNode;
  /** Outputs of the node's succeeded ancestors. */
  steps: Record<string, unknown>;
  /** 1-based. */
  attempt: number;
  /** Inside a for_each's item branch: which item this attempt runs for. */
  item?: ItemScope;
}

/** One item of a for_each loop, as the nodes of its item branch see it. */
export interface ItemScope {
  index: number;
  value: unknown;
}

interface Prepared {
  ctx: NodeRunContext<unknown>;
  runner: NodeRunner<unknown>;
  /** The resolved config, as recorded in the run log. */
  input: unknown;
  secrets: string[];
}

interface AttemptFacts {
  /** The resolved config, as recorded in the run log. */
  input: unknown;
  secrets: string[];
  retryPolicy: RetryPolicy;
  /** Paths expressions read that were missing. */
  warnings: ExpressionWarning[];
  /** Lines the step printed. */
  logs: StepLogLine[];
}

export type NodeAttemptResult = ({ type: "done"; output: unknown; ports: string[] } | { type: "pause"; pause: NodePause }) & AttemptFacts;

/** A failed attempt with what the recorder and the retry logic need. */
export class NodeAttemptError extends Error {
  constructor(
    readonly cause: unknown,
    readonly retryable: boolean,
    readonly retryAfterMs: number | undefined,
    readonly input: unknown,
    readonly secrets: string[],
    readonly retryPolicy: RetryPolicy,
    readonly warnings: ExpressionWarning[] = [],
    readonly logs: StepLogLine[] = [],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "NodeAttemptError";
  }
}

export const NODE_IDEMPOTENCY_KEY = (runId: string, nodeId: string, item?: ItemScope) => `${runId}:${nodeId}${item ? `:item:${item.index}` : ""}`;

export async function executeNodeAttempt(input: NodeAttemptInput): Promise<NodeAttemptResult> {
  const prepared = await prepare(input);
  try {
    const result = await prepared.runner.run(prepared.ctx);
    if (isPause(result)) return { type: "pause", pause: result, ...attemptFacts(prepared) };
    return { type: "done", output: result.output ?? null, ports: result.ports ?? allPorts(input.node), ...attemptFacts(prepared) };
  } catch (error) {
    throw toAttemptError(error, prepared);
  }
}

/** Finishes a paused node (after its sleep or wait). */
export async function resumeNodeAttempt(input: NodeAttemptInput & { event: { data: unknown } | null; pauseOutput: unknown }): Promise<NodeAttemptResult & { type: "done" }> {
  const prepared = await prepare(input);
  try {
    const result = prepared.runner.resume ? await prepared.runner.resume(prepared.ctx, input.event, input.pauseOutput) : { output: input.pauseOutput };
    return { type: "done", output: result.output ?? null, ports: result.ports ?? allPorts(input.node), ...attemptFacts(prepared) };
  } catch (error) {
    throw toAttemptError(error, prepared);
  }
}

async function prepare(input: NodeAttemptInput): Promise<Prepared> {
  const { node, run } = input;
  const definition = getNodeDefinition(node.kind);
  const fallbackPolicy: RetryPolicy = { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, retryOnStatuses: [] };
  if (!definition) throw new NodeAttemptError(new Error(`Node "${node.id}" has unknown kind "${node.kind}"`), false, undefined, node.config, [], fallbackPolicy);
  const parsed = definition.configSchema.safeParse(node.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const error = new NodeError(`Node "${node.id}" has invalid config: ${issue.path.join(".") || "config"}: ${issue.message}`, { retryable: false, code: "invalid_config" });
    throw new NodeAttemptError(error, false, undefined, node.config, [], definition.defaultRetry);
  }
  const retryPolicy = effectiveRetryPolicy(definition.defaultRetry, (parsed.data as { retry?: RetryOverride }).retry);
  const expressionContext: ExpressionContext = {
    trigger: run.trigger,
    steps: input.steps,
    run: { id: run.id, flowId: run.flowId, attempt: input.attempt },
    ...(input.item ? { item: input.item.value, itemIndex: input.item.index } : {}),
  };
  const warnings: ExpressionWarning[] = [];
  let config: unknown;
  try {
    // Names, notes and raw JSONata fields are read as written (the kind's fieldSyntax), never as {{ … }} text.
    config = await resolveTemplates(parsed.data, expressionContext, { nodeId: node.id, warnings, asWritten: (field) => fieldSyntaxOf(node.kind, field) !== "template" });
  } catch (error) {
    throw new NodeAttemptError(error, false, undefined, node.config, [], retryPolicy, warnings);
  }
  if (warnings.length && definition.emptyAllowedFields) {
    const allowed = new Set(definition.emptyAllowedFields(parsed.data));
    warnings.splice(0, warnings.length, ...warnings.filter((warning) => !allowed.has(warning.field ?? "")));
  }
  // Secrets typed into the config (an Authorization header, a token field) are scrubbed from what comes back too.
  const secrets: string[] = sensitiveValuesIn(config);
  const ctx: NodeRunContext<unknown> = {
    config,
    node: { id: node.id, name: node.name, kind: node.kind },
    run: { id: run.id, flowId: run.flowId, workspaceId: run.workspaceId, attempt: input.attempt, isTest: run.isTest },
    expressionContext,
    warnings,
    logs: [],
    idempotencyKey: NODE_IDEMPOTENCY_KEY(run.id, node.id, input.item),
    retryPolicy,
    async getCredential(id, types) {
      if (typeof id !== "string" || !id) throw new CredentialResolveError(`Node "${node.id}" has no credential selected`);
      const credential = await resolveCredential(input.prisma, { workspaceId: run.workspaceId, id, types });
      secrets.push(...secretStringsOf(credential.type, credential.data));
      return credential.data;
    },
    request: (request) => guardedRequest({ ...request, allowedHosts: run.allowedHosts }),
    assertHostAllowed: (host) => assertHostAllowed(host, run.allowedHosts),
    // Inside a loop each item calls once: the item is part of the calling step's key.
    startChildRun: (request) => startChildRun(input.prisma, { runId: run.id, workspaceId: run.workspaceId, nodeId: input.item ? `${node.id}:item:${input.item.index}` : node.id }, request),
  };
  return { ctx, runner: nodeRunners[node.kind as NodeKind] as NodeRunner<unknown>, input: config, secrets };
}

/** Ports come from the unresolved config (switch case names are not expressions). */
function allPorts(node: GraphNode): string[] {
  const definition = getNodeDefinition(node.kind);
  const parsed = definition?.configSchema.safeParse(node.config);
  return definition && parsed?.success ? definition.outputPorts(parsed.data) : ["out"];
}

function attemptFacts(prepared: Prepared): AttemptFacts {
  return { input: prepared.input, secrets: prepared.secrets, retryPolicy: prepared.ctx.retryPolicy, warnings: prepared.ctx.warnings, logs: prepared.ctx.logs };
}

function toAttemptError(error: unknown, prepared: Prepared): NodeAttemptError {
  const { ctx } = prepared;
  if (error instanceof NodeError) return new NodeAttemptError(error, error.details.retryable, error.details.retryAfterMs, prepared.input, prepared.secrets, ctx.retryPolicy, ctx.warnings, ctx.logs);
  // Mistakes in the flow or its credentials will not fix themselves by retrying.
  const permanent = error instanceof ExpressionError || error instanceof CredentialResolveError || error instanceof ZodError;
  return new NodeAttemptError(error, !permanent, undefined, prepared.input, prepared.secrets, ctx.retryPolicy, ctx.warnings, ctx.logs);
}
