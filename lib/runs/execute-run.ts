// Server-only: the body of the run-workflow function, written against a minimal durable-step
// interface (Inngest's step tools fit it). Each node is one step ("node:<id>"), but for pure
// nodes that run inline (inlineNodes); delays and waits add "node:<id>:sleep" / "node:<id>:wait"
// and "node:<id>:resume".
import { RetryAfterError } from "inngest";
import type { Database } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { TriggerPayload } from "@/lib/expressions/expression-context";
import { parseFlowGraph, type FlowGraph, type GraphNode } from "@/lib/flows/graph";
import { toJsonb } from "@/lib/webhooks/ingress/ingest-writer";
import { defaultStartNode, interpretFlow, type InterpretResult, type NodeExecution } from "@/lib/flows/interpret-flow";
import { parseFlowSettings } from "@/lib/flows/flow-settings";
import { validateFlow } from "@/lib/flows/validate-flow";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import type { NodePause } from "@/lib/nodes/node-runner";
import { effectiveRetryPolicy, retryDelayMs, type RetryOverride } from "@/lib/nodes/shared/retry-policy";
import type { RunRequestedData } from "./run-events";
import { splitLoops } from "@/lib/flows/loop-bodies";
import { NodeError } from "@/lib/nodes/node-runner";
import { executeNodeAttempt, NodeAttemptError, resumeNodeAttempt, type ItemScope, type NodeAttemptResult, type RunFacts } from "./execute-node";
import { executeLoop } from "./execute-loop";
import { handledAs, settleFailure } from "./handle-node-failure";
import { secretStringsOfCredentials } from "@/lib/credentials/resolve-credential";
import { sensitiveValuesIn } from "./prepare-for-storage";
import { recordAttemptFailed, recordAttemptStarted, recordAttemptSucceeded, recordAttemptWaiting, recordSkipped } from "./record-steps";
import { acquireRunSlot, slotRetryDelayMs } from "./acquire-run-slot";
import { reusablePorts } from "./reusable-ports";
import { sendFailureAlert } from "./send-failure-alert";
import { toTriggerPayload } from "./trigger-payload";

export interface DurableSteps {
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
  sleep(id: string, ms: number): Promise<void>;
  sleepUntil(id: string, until: string): Promise<void>;
  waitForEvent(id: string, options: { event: string; if: string; timeout: number }): Promise<{ data: unknown } | null>;
  /** Runs run-workflow for another run and returns its result (ExecuteRunResult); throws when that run failed. */
  invoke(id: string, data: RunRequestedData): Promise<unknown>;
}

export interface ExecuteRunInput {
  data: RunRequestedData;
  steps: DurableSteps;
  /** 0-based attempt of the step being executed in this invocation (Inngest's ctx.attempt). */
  attempt: number;
  getDatabase(): Promise<Database>;
  appUrl?: string;
  /** Return the run's output (a call_flow step waiting on step.invoke reads it); other runs need not fetch it. */
  returnOutput?: boolean;
}

type PreparedRun =
  | { state: "skip"; reason: string }
  | { state: "invalid"; message: string }
  | {
      state: "ready";
      graph: FlowGraph;
      /** The version the graph is (absent in runs whose run:start was stored before it was added). */
      flowVersionId?: string;
      facts: RunFacts;
      startNodeId: string;
      reuse: Record<string, { input: unknown; output: unknown; ports: string[] }>;
      reuseFromRunId: string | null;
      /** The flow's maxConcurrentRuns; null when only the engine's limit applies. */
      concurrencyLimit: number | null;
      /**
       * The start trigger's ports when run:start already recorded its step (its output is the
       * trigger payload in `facts`): one durable step less per run. Null: it runs as its own step.
       */
      triggerPorts: string[] | null;
    };

type NodeStepResult =
  | { type: "done"; output: unknown; ports: string[] }
  | { type: "pause"; pause: NodePause }
  | { type: "failed"; error: Record<string, unknown> };

/** A run log write not waited for where it was made: null once stored, else its error. */
type DeferredWrite = Promise<{ error: unknown } | null>;

/** Thrown into the interpreter when a node failed for good (its error is already recorded). */
class NodeFailed extends Error {
  constructor(readonly nodeId: string, readonly record: Record<string, unknown>) {
    super(String(record.message ?? "Node failed"));
  }
}

/** A node that failed for good: its onError setting either fails it in the interpreter or lets the run go on. */
function failedNode(node: GraphNode, record: Record<string, unknown>): NodeExecution {
  const handled = settleFailure(node, record);
  if (!handled) throw new NodeFailed(node.id, record);
  return handled;
}

export interface ExecuteRunResult {
  runId: string;
  status: "succeeded" | "failed" | "skipped" | "cancelled" | "not_run";
  error?: Record<string, unknown>;
  /** The run's output (its last steps' outputs by node id): what a call_flow step that waited for it gets. */
  output?: unknown;
}

export async function executeRun(input: ExecuteRunInput): Promise<ExecuteRunResult> {
  const { data, steps } = input;
  const prepared = (await steps.run("run:start", () => prepareRun(input))) as PreparedRun;
  if (prepared.state === "skip") return { runId: data.runId, status: "not_run" };
  if (prepared.state === "invalid") return { runId: data.runId, status: "failed", error: { message: prepared.message, code: "invalid_flow" } };

  const { facts } = prepared;
  if (prepared.concurrencyLimit !== null) {
    const limit = prepared.concurrencyLimit;
    for (let check = 0; ; check++) {
      const acquired = await steps.run(`run:slot:${check}`, async () => acquireRunSlot((await input.getDatabase()).prisma, { runId: facts.id, flowId: facts.flowId, limit }));
      if (acquired) break;
      await steps.sleep(`run:slot-wait:${check}`, slotRetryDelayMs(check));
    }
  }
  const { inline, outer, bodies } = executionPlan(prepared);
  const inlineWrites: DeferredWrite[] = [];
  // Nodes of an item branch run once per item; reuse from an earlier run is per node, never per item.
  const executeNode = (node: GraphNode, upstream: Record<string, unknown>, item?: ItemScope) =>
    inline.has(node.id) && (item !== undefined || !prepared.reuse[node.id]) ? runInline(input, facts, node, upstream, inlineWrites, item) : runNode(input, prepared, node, upstream, item);
  const result = await interpretFlow(outer, {
    startNodeId: prepared.startNodeId,
    execute: (node, upstream) => {
      const body = bodies.get(node.id);
      return body && !prepared.reuse[node.id] ? runLoop(input, prepared, node, body, upstream, executeNode) : executeNode(node, upstream);
    },
  });
  // Before the run is finished (it reads its leaves' rows); a failed write fails this invocation, and its replay writes again.
  const failedWrite = (await Promise.all(inlineWrites)).find((write) => write !== null);
  if (failedWrite) throw failedWrite.error;

  // Not a durable step of its own: it is reached only once every node's step is stored, and it is
  // idempotent (the Run row is updated only while unfinished), so running it again after a lost
  // answer is harmless — and a step less per run is a checkpoint and its SDK handling less.
  const finished = await finishRun(input, prepared, result);
  if (finished.status === "failed" && !facts.isTest) {
    await steps.run("run:alert", async () => {
      const outcome = await sendFailureAlert((await input.getDatabase()).prisma, { workspaceId: facts.workspaceId, flowId: facts.flowId, runId: facts.id, appUrl: input.appUrl });
      return outcome.status;
    });
  }
  return finished;
}

/**
 * Flow versions never change: their validated, parsed graphs are kept per process, so a run reads
 * only its own row. Bounded; the oldest entry goes first.
 */
const versionCache = new Map<string, { version: number; graph: FlowGraph | null; issues: ReturnType<typeof validateFlow> }>();
const VERSION_CACHE_SIZE = 200;

function cachedVersion(id: string, version: number, rawGraph: unknown) {
  const issues = validateFlow(rawGraph, { forPublish: true });
  const entry = { version, graph: issues.length ? null : parseFlowGraph(rawGraph), issues };
  if (versionCache.size >= VERSION_CACHE_SIZE) versionCache.delete(versionCache.keys().next().value!);
  versionCache.set(id, entry);
  return entry;
}

/**
 * The run with what executing it needs, in one statement; the version's graph only when it is not
 * cached ($2). A run whose flow has no maxConcurrentRuns (flow-settings.ts) is marked running by
 * the same statement ("marked"); with a limit, acquireRunSlot does it when a slot is free.
 */
const LOAD_RUN = `WITH marked AS (
    UPDATE "Run" m SET status = 'running', "startedAt" = COALESCE(m."startedAt", $3::timestamptz AT TIME ZONE 'UTC')
    FROM "Flow" mf WHERE m.id = $1 AND mf.id = m."flowId" AND m.status IN ('queued', 'running')
      AND jsonb_typeof(mf.settings -> 'maxConcurrentRuns') IS DISTINCT FROM 'number'
    RETURNING m.id)
  SELECT EXISTS (SELECT 1 FROM marked) AS marked, r.id, r.status, r."flowId", r."workspaceId", r."isTest", r."replayMode", r."replayOfId", r."triggerPayload",
    r."flowVersionId", extract(epoch FROM r."createdAt") * 1000 AS "createdAtMs", extract(epoch FROM r."startedAt") * 1000 AS "startedAtMs",
    f.settings, w."allowedHosts", e."nodeId" AS "endpointNodeId", v.version, CASE WHEN $2::boolean THEN NULL ELSE v.graph END AS graph
  FROM "Run" r
  JOIN "Flow" f ON f.id = r."flowId"
  JOIN "Workspace" w ON w.id = r."workspaceId"
  JOIN "FlowVersion" v ON v.id = r."flowVersionId"
  LEFT JOIN "WebhookDelivery" d ON d.id = r."deliveryId"
  LEFT JOIN "Endpoint" e ON e.id = d."endpointId"
  WHERE r.id = $1`;

interface LoadedRun {
  marked: boolean;
  id: string;
  status: string;
  flowId: string;
  workspaceId: string;
  isTest: boolean;
  replayMode: string | null;
  replayOfId: string | null;
  triggerPayload: unknown;
  flowVersionId: string;
  createdAtMs: string | number;
  startedAtMs: string | number | null;
  settings: unknown;
  allowedHosts: string[];
  endpointNodeId: string | null;
  version: number;
  graph: unknown;
}

async function prepareRun(input: ExecuteRunInput): Promise<PreparedRun> {
  const db = await input.getDatabase();
  const known = versionCache.get(input.data.flowVersionId);
  const [run] = await db.query<LoadedRun>(LOAD_RUN, [input.data.runId, known !== undefined, new Date().toISOString()], { preparedAs: "run_load_and_mark" });
  if (!run) return { state: "skip", reason: `Run ${input.data.runId} does not exist` };
  if (run.status !== "queued" && run.status !== "running") return { state: "skip", reason: `Run is already ${run.status}` };
  const createdAt = new Date(Number(run.createdAtMs));
  const startedAt = run.startedAtMs === null ? null : new Date(Number(run.startedAtMs));
  const version = known && run.flowVersionId === input.data.flowVersionId ? known : cachedVersion(run.flowVersionId, run.version, run.graph ?? (await versionGraph(db, run.flowVersionId)));

  const fail = async (message: string, issues: unknown[] = []) => {
    const finishedAt = new Date();
    await db.prisma.run.updateMany({
      where: { id: run.id, status: { in: ["queued", "running"] } },
      data: { status: "failed", error: { message, code: "invalid_flow", issues } as Prisma.InputJsonValue, startedAt: startedAt ?? finishedAt, finishedAt, durationMs: 0 },
    });
    return { state: "invalid" as const, message };
  };

  // Defensive: publish validates too, but stored data may predate a rule or be edited by hand.
  const { issues } = version;
  if (issues.length || !version.graph) return fail(`Flow version ${version.version} is invalid: ${issues[0].message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`, issues);
  const graph = version.graph;
  const endpointNode = run.endpointNodeId;
  const start = endpointNode ? graph.nodes.find((node) => node.id === endpointNode) : defaultStartNode(graph);
  if (!start || !getNodeDefinition(start.kind)?.isTrigger) return fail(`The trigger "${endpointNode ?? "(none)"}" that started this run is not in flow version ${version.version}`);

  const reuse: Record<string, { input: unknown; output: unknown; ports: string[] }> = {};
  if (run.replayMode === "failed-only" && run.replayOfId) {
    const previous = await db.prisma.runStep.findMany({ where: { runId: run.replayOfId, status: "succeeded", itemIndex: null }, orderBy: { attempt: "asc" } });
    for (const step of previous) {
      const node = graph.nodes.find((candidate) => candidate.id === step.nodeId && candidate.kind === step.nodeKind);
      // Truncated outputs cannot stand in for the real value; those nodes run again.
      if (!node || step.truncated || getNodeDefinition(node.kind)?.isTrigger) continue;
      const ports = reusablePorts(node, step.output);
      if (ports) reuse[node.id] = { input: step.input, output: step.output, ports };
    }
  }

  // With a per-flow limit the run stays queued until acquireRunSlot lets it in.
  const concurrencyLimit = parseFlowSettings(run.settings).maxConcurrentRuns;
  if (concurrencyLimit === null && !run.marked) {
    // Settings the statement read as limited but that do not parse (their defaults apply): mark it here.
    await db.query(
      `UPDATE "Run" SET status = 'running', "startedAt" = COALESCE("startedAt", $2::timestamptz AT TIME ZONE 'UTC') WHERE id = $1 AND status IN ('queued', 'running')`,
      [run.id, new Date().toISOString()],
      { preparedAs: "run_mark_running" },
    );
  }
  const facts: RunFacts = {
    id: run.id,
    flowId: run.flowId,
    workspaceId: run.workspaceId,
    isTest: run.isTest,
    allowedHosts: run.allowedHosts,
    trigger: toTriggerPayload(run.triggerPayload, createdAt) as TriggerPayload,
  };
  // The trigger only outputs the request: record its step here, unless the run must first wait
  // for a slot (it would show a finished step while queued).
  let triggerPorts: string[] | null = null;
  if (concurrencyLimit === null) {
    const recorded = await attemptNode(input, facts, start, {});
    if (recorded.type === "done") triggerPorts = recorded.ports;
  }
  return {
    concurrencyLimit,
    state: "ready",
    graph,
    flowVersionId: run.flowVersionId,
    startNodeId: start.id,
    reuse,
    reuseFromRunId: run.replayMode === "failed-only" ? run.replayOfId : null,
    facts,
    triggerPorts,
  };
}

/** A run whose event named another version than its row (never written that way, but cheap to handle). */
async function versionGraph(db: Database, flowVersionId: string): Promise<unknown> {
  const [row] = await db.query<{ graph: unknown }>(`SELECT graph FROM "FlowVersion" WHERE id = $1`, [flowVersionId]);
  return row?.graph ?? null;
}

async function runNode(input: ExecuteRunInput, prepared: PreparedRun & { state: "ready" }, node: GraphNode, upstream: Record<string, unknown>, item?: ItemScope): Promise<NodeExecution> {
  const { steps } = input;
  const { facts } = prepared;
  if (node.id === prepared.startNodeId && prepared.triggerPorts) return { output: facts.trigger, ports: prepared.triggerPorts };
  const key = { runId: facts.id, nodeId: node.id, nodeKind: node.kind, itemIndex: item?.index ?? null };
  const stepId = nodeStepId(node, item);
  const reused = item ? undefined : prepared.reuse[node.id];
  if (reused) {
    return (await steps.run(stepId, async () => {
      await recordAttemptSucceeded(await input.getDatabase(), { ...key, attempt: 1 }, { input: reused.input, output: reused.output, secrets: [], reusedFromRunId: prepared.reuseFromRunId ?? undefined });
      return { output: reused.output, ports: reused.ports };
    })) as NodeExecution;
  }

  const first = (await steps.run(stepId, () => attemptNode(input, facts, node, upstream, undefined, item))) as NodeStepResult;
  if (first.type === "failed") return failedNode(node, first.error);
  if (first.type === "done") return { output: first.output, ports: first.ports };

  const pause = first.pause;
  let event: { data: unknown } | null = null;
  if (pause.pause === "sleep") await steps.sleepUntil(`${stepId}:sleep`, pause.until);
  else if (pause.pause === "invoke") event = { data: await invokeRun(steps, `${stepId}:invoke`, pause.run) };
  else event = await steps.waitForEvent(`${stepId}:wait`, { event: pause.event, if: pause.match, timeout: pause.timeoutMs });

  const resumed = (await steps.run(`${stepId}:resume`, async () => {
    const db = await input.getDatabase();
    const prisma = db.prisma;
    await prisma.run.updateMany({ where: { id: facts.id, status: "waiting" }, data: { status: "running" } });
    try {
      const done = await resumeNodeAttempt({ prisma, run: facts, node, steps: upstream, attempt: 1, item, event: event ? { data: event.data } : null, pauseOutput: pause.output });
      await recordAttemptSucceeded(db, { ...key, attempt: 1 }, { input: done.input, output: done.output, secrets: done.secrets, warnings: done.warnings, logs: done.logs });
      return { type: "done", output: done.output, ports: done.ports } satisfies NodeStepResult;
    } catch (error) {
      const failure = error instanceof NodeAttemptError ? error : null;
      const record = await recordAttemptFailed(db, { ...key, attempt: 1 }, { input: failure?.input ?? null, error: failure?.cause ?? error, secrets: failure?.secrets ?? [], nextRetryAt: null, warnings: failure?.warnings, logs: failure?.logs, handled: handledAs(node) });
      return { type: "failed", error: record } satisfies NodeStepResult;
    }
  })) as NodeStepResult;
  if (resumed.type === "failed") return failedNode(node, resumed.error);
  if (resumed.type === "pause") throw new Error(`Node "${node.id}" paused twice`);
  return { output: resumed.output, ports: resumed.ports };
}

/** A node's durable step: "node:<id>", per item inside a loop's item branch ("node:<id>:item:<i>"). */
function nodeStepId(node: GraphNode, item?: ItemScope): string {
  return item ? `node:${node.id}:item:${item.index}` : `node:${node.id}`;
}

/**
 * A loop node (NodeDefinition.loop): its own step "node:<id>" checks the items and leaves its row
 * running; the item branch runs per item (execute-loop.ts); the row is finished once, when the
 * last item's step is stored, like finishRun (idempotent, so a replay that reaches it again is harmless).
 */
async function runLoop(
  input: ExecuteRunInput,
  prepared: PreparedRun & { state: "ready" },
  node: GraphNode,
  body: FlowGraph,
  upstream: Record<string, unknown>,
  executeNode: (node: GraphNode, upstream: Record<string, unknown>, item: ItemScope) => Promise<NodeExecution>,
): Promise<NodeExecution> {
  const { facts } = prepared;
  let started: { items: unknown[]; attempt: number } | null = null;
  return executeLoop({
    node,
    body,
    upstream,
    runItemNode: executeNode,
    async start() {
      const result = (await input.steps.run(nodeStepId(node), async () => {
        const attempted = await attemptNode(input, facts, node, upstream);
        if (attempted.type === "done") await recordAttemptStarted(await input.getDatabase(), { runId: facts.id, nodeId: node.id, nodeKind: node.kind, attempt: input.attempt + 1 }, new Date());
        return { ...attempted, attempt: input.attempt + 1 };
      })) as NodeStepResult & { attempt: number };
      if (result.type === "failed") throw new NodeFailed(node.id, result.error);
      if (result.type === "pause") throw new Error(`Node "${node.id}" of kind ${node.kind} paused`);
      started = { items: result.output as unknown[], attempt: result.attempt };
      return started.items;
    },
    async finish(outcome) {
      const db = await input.getDatabase();
      const { items, attempt } = started!;
      const key = { runId: facts.id, nodeId: node.id, nodeKind: node.kind, attempt };
      const loopInput = { ...node.config, items };
      // The item results are the item branch's outputs: scrub them with that branch's secrets too.
      const secrets = [...sensitiveValuesIn(loopInput), ...(await itemBranchSecrets(db, facts.workspaceId, body, node.id))];
      if ("results" in outcome) {
        await recordAttemptSucceeded(db, key, { input: loopInput, output: outcome.results, secrets });
        return;
      }
      // An item failing fails the loop (and so the run).
      const cause = outcome.error instanceof NodeFailed ? outcome.error.record : { message: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) };
      const error = new NodeError(`Item ${outcome.failedItem} failed at "${outcome.failedNodeId}": ${String(cause.message ?? "unknown error")}`, {
        retryable: false,
        code: "item_failed",
        ...(typeof cause.status === "number" ? { status: cause.status } : {}),
      });
      const record = await recordAttemptFailed(db, key, { input: loopInput, error, secrets, nextRetryAt: null });
      throw new NodeFailed(node.id, { ...record, itemIndex: outcome.failedItem, itemNodeId: outcome.failedNodeId });
    },
  });
}

/**
 * Secrets the nodes of a loop's item branch may have put in their outputs: those typed into their
 * configs and those of the credentials they name. Their own run log rows were scrubbed with what
 * each attempt resolved; the loop's row (every item's result) is scrubbed with these.
 */
async function itemBranchSecrets(db: Database, workspaceId: string, body: FlowGraph, loopNodeId: string): Promise<string[]> {
  const secrets: string[] = [];
  const credentialIds = new Set<string>();
  for (const branchNode of body.nodes) {
    if (branchNode.id === loopNodeId) continue;
    secrets.push(...sensitiveValuesIn(branchNode.config));
    for (const field of Object.keys(getNodeDefinition(branchNode.kind)?.credentialFields ?? {})) {
      const id = (branchNode.config as Record<string, unknown>)[field];
      if (typeof id === "string" && id) credentialIds.add(id);
    }
  }
  return [...secrets, ...(await secretStringsOfCredentials(db.prisma, workspaceId, [...credentialIds]))];
}

/** The result of a run started with step.invoke; a failed one (the SDK throws) as `{ status: "failed", error }`. */
async function invokeRun(steps: DurableSteps, id: string, run: RunRequestedData): Promise<unknown> {
  try {
    return await steps.invoke(id, run);
  } catch (error) {
    return { runId: run.runId, status: "failed", error: { message: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * Nodes of pure kinds (NodeDefinition.pure) with one attempt and no clock or randomness in their
 * config run inline, between durable steps, instead of as a step of their own: executing one again
 * (when the function is replayed after a sleep, a retry or a crash) gives the same output and
 * rewrites the same run log row. Three of the five steps of a typical flow, each a checkpoint and
 * its SDK handling less (issue 14). A node that uses one of JSONata's non-deterministic functions
 * keeps its own durable step.
 */
const NON_DETERMINISTIC = /\$(now|millis|random)\s*\(/;

/**
 * What executing a version needs beyond its graph — the nodes that run inline and the loops' item
 * branches — derived once per flow version (versions never change), not on every invocation.
 */
const planCache = new Map<string, ExecutionPlan>();
type ExecutionPlan = { inline: Set<string> } & ReturnType<typeof splitLoops>;

function executionPlan(prepared: PreparedRun & { state: "ready" }): ExecutionPlan {
  // Runs started before flowVersionId was part of run:start's result derive it each time.
  const cached = prepared.flowVersionId ? planCache.get(prepared.flowVersionId) : undefined;
  if (cached) return cached;
  const plan = { inline: inlineNodes(prepared.graph), ...splitLoops(prepared.graph) };
  if (prepared.flowVersionId) {
    if (planCache.size >= VERSION_CACHE_SIZE) planCache.delete(planCache.keys().next().value!);
    planCache.set(prepared.flowVersionId, plan);
  }
  return plan;
}

function inlineNodes(graph: FlowGraph): Set<string> {
  const inline = new Set<string>();
  for (const node of graph.nodes) {
    const definition = getNodeDefinition(node.kind);
    if (!definition?.pure) continue;
    const retry = (node.config as { retry?: RetryOverride } | null)?.retry;
    if (effectiveRetryPolicy(definition.defaultRetry, retry).maxAttempts !== 1) continue;
    if (NON_DETERMINISTIC.test(JSON.stringify(node.config ?? null))) continue;
    inline.add(node.id);
  }
  return inline;
}

/**
 * A pure node's one attempt, outside any step (see inlineNodes); its attempt is always the first.
 * Its run log row is not waited for here but before the run finishes: a replay would write it
 * again, and the rows of a chain of pure nodes go to the database together.
 */
async function runInline(input: ExecuteRunInput, facts: RunFacts, node: GraphNode, upstream: Record<string, unknown>, deferredWrites: DeferredWrite[], item?: ItemScope): Promise<NodeExecution> {
  const result = await attemptNode({ ...input, attempt: 0 }, facts, node, upstream, deferredWrites, item);
  if (result.type === "failed") return failedNode(node, result.error);
  if (result.type === "pause") throw new Error(`Node "${node.id}" of kind ${node.kind} paused`);
  return { output: result.output, ports: result.ports };
}

/** One attempt inside step "node:<id>". Retryable failures throw RetryAfterError so the engine retries this step. */
async function attemptNode(
  input: ExecuteRunInput,
  facts: RunFacts,
  node: GraphNode,
  upstream: Record<string, unknown>,
  deferredWrites?: DeferredWrite[],
  item?: ItemScope,
): Promise<NodeStepResult> {
  const db = await input.getDatabase();
  const prisma = db.prisma;
  const attempt = input.attempt + 1;
  const key = { runId: facts.id, nodeId: node.id, nodeKind: node.kind, attempt, itemIndex: item?.index ?? null };
  const startedAt = new Date();
  // A node that finishes quickly gets one row, written when it ends; one still working after
  // STARTED_ROW_DELAY_MS shows up as running meanwhile (the run log polls about once a second).
  let started: Promise<void> | null = null;
  const startedTimer = setTimeout(() => {
    started = recordAttemptStarted(db, key, startedAt).catch(() => {});
  }, STARTED_ROW_DELAY_MS);
  const written = async () => {
    clearTimeout(startedTimer);
    await started;
  };
  let result: NodeAttemptResult;
  try {
    result = await executeNodeAttempt({ prisma, run: facts, node, steps: upstream, attempt, item });
    await written();
  } catch (error) {
    await written();
    const failure =
      error instanceof NodeAttemptError
        ? error
        : new NodeAttemptError(error, true, undefined, null, [], getNodeDefinition(node.kind)?.defaultRetry ?? { maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, retryOnStatuses: [] });
    if (failure.retryable && attempt < failure.retryPolicy.maxAttempts) {
      const delay = retryDelayMs(failure.retryPolicy, attempt, failure.retryAfterMs);
      const finishedAt = new Date();
      await recordAttemptFailed(db, key, { input: failure.input, error: failure.cause, secrets: failure.secrets, startedAt, finishedAt, nextRetryAt: new Date(finishedAt.getTime() + delay), warnings: failure.warnings, logs: failure.logs });
      throw new RetryAfterError(`Node "${node.id}"${item ? ` item ${item.index}` : ""} attempt ${attempt} of ${failure.retryPolicy.maxAttempts} failed: ${failure.message}`, Math.max(delay, 1000));
    }
    const record = await recordAttemptFailed(db, key, { input: failure.input, error: failure.cause, secrets: failure.secrets, startedAt, nextRetryAt: null, warnings: failure.warnings, logs: failure.logs, handled: handledAs(node) });
    record.attempts = attempt;
    return { type: "failed", error: record };
  }
  if (result.type === "pause") {
    await recordAttemptWaiting(db, key, { input: result.input, output: result.pause.output, secrets: result.secrets, startedAt });
    return { type: "pause", pause: result.pause };
  }
  const write = recordAttemptSucceeded(db, key, { input: result.input, output: result.output, secrets: result.secrets, startedAt, warnings: result.warnings, logs: result.logs });
  // A deferred write's failure is kept (never an unhandled rejection) and thrown where it is awaited.
  if (deferredWrites) deferredWrites.push(write.then(() => null, (error: unknown) => ({ error })));
  else await write;
  return { type: "done", output: result.output, ports: result.ports };
}

/** How long a node runs before its step row says "running" (exported for tests). */
export const STARTED_ROW_DELAY_MS = 50;

async function finishRun(input: ExecuteRunInput, prepared: PreparedRun & { state: "ready" }, result: InterpretResult): Promise<ExecuteRunResult> {
  const db = await input.getDatabase();
  const { graph, facts } = prepared;
  const kinds = new Map(graph.nodes.map((node) => [node.id, node.kind]));
  const skipped = [...result.outcomes.entries()]
    .filter(([, outcome]) => outcome.status === "skipped")
    .map(([nodeId, outcome]) => ({ nodeId, nodeKind: kinds.get(nodeId) ?? "unknown", reason: outcome.status === "skipped" ? outcome.reason : "" }));
  await recordSkipped(db, facts.id, skipped);

  const failedEntry = result.finishedOrder.map((id) => [id, result.outcomes.get(id)] as const).find(([, outcome]) => outcome?.status === "failed");
  let status: "succeeded" | "failed" | "skipped" = "succeeded";
  let error: Record<string, unknown> | undefined;
  if (failedEntry) {
    status = "failed";
    const [nodeId, outcome] = failedEntry;
    const cause = outcome?.status === "failed" ? outcome.error : undefined;
    const record = cause instanceof NodeFailed ? cause.record : { message: cause instanceof Error ? cause.message : String(cause) };
    error = { ...record, nodeId, message: `Node "${nodeId}" failed: ${String(record.message ?? "unknown error")}` };
  } else {
    // A run that filters stopped before any node with effects succeeded was not meant to happen.
    const definitionOf = (id: string) => getNodeDefinition(kinds.get(id) ?? "");
    const filterStopped = [...result.outcomes.entries()].some(([id, outcome]) => definitionOf(id)?.stopSkipsRun && outcome.status === "succeeded" && outcome.ports.length === 0);
    const effectRan = [...result.outcomes.entries()].some(([id, outcome]) => definitionOf(id)?.hasEffects && outcome.status === "succeeded");
    if (filterStopped && !effectRan) status = "skipped";
  }

  // The run's output: what its last nodes produced (leaves of the executed part of the graph), as
  // their run log rows hold it — secrets scrubbed with each step's credentials, which this last call may never have resolved.
  const leaves = result.finishedOrder.filter(
    (id) => result.outcomes.get(id)?.status === "succeeded" && !graph.edges.some((edge) => edge.source === id && result.outcomes.get(edge.target)?.status === "succeeded"),
  );
  const finishedAt = new Date().toISOString();
  const updated = await db.query<{ output: unknown }>(
    `UPDATE "Run" SET status = $2::"RunStatus", error = COALESCE($3::jsonb, error), "finishedAt" = $4::timestamptz AT TIME ZONE 'UTC',
       "durationMs" = round(extract(epoch FROM ($4::timestamptz AT TIME ZONE 'UTC') - COALESCE("startedAt", "createdAt")) * 1000)::int,
       output = (SELECT COALESCE(jsonb_object_agg(s."nodeId", s.output), '{}'::jsonb) FROM (
         SELECT DISTINCT ON ("nodeId") "nodeId", output FROM "RunStep"
          WHERE "runId" = $1 AND "nodeId" = ANY($5::text[]) AND status = 'succeeded' ORDER BY "nodeId", attempt DESC) s)
     WHERE id = $1 AND status IN ('running', 'waiting', 'queued') RETURNING CASE WHEN $6::boolean THEN output END AS output`,
    [facts.id, status, error ? toJsonb(error) : null, finishedAt, leaves, input.returnOutput === true],
    { preparedAs: "run_finish" },
  );
  if (updated.length === 0) {
    const [row] = await db.query<{ status: string }>(`SELECT status FROM "Run" WHERE id = $1`, [facts.id]);
    if (row?.status === "cancelled") return { runId: facts.id, status: "cancelled" };
  }
  return { runId: facts.id, status, ...(error ? { error } : {}), ...(input.returnOutput && updated.length ? { output: updated[0].output } : {}) };
}
