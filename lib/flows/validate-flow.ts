// Checks a flow graph before publish (and defensively before every run): structure, node kinds,
// ports, configs and expression references. Every issue names its node/edge/field. Client-safe.
import type { z } from "zod";
import { checkExpressionSyntax } from "@/lib/expressions/evaluate-expression";
import { describeRoots, expressionRoots } from "@/lib/expressions/expression-context";
import { findReferences } from "@/lib/expressions/find-references";
import { collectExpressions, hasTemplate, parseTemplate, TemplateSyntaxError } from "@/lib/expressions/parse-template";
import { fieldSyntaxOf, getNodeDefinition, nodeDefinitions } from "@/lib/nodes/definitions";
import { ERROR_PORT, ON_ERROR_LABELS, onErrorIssue, onErrorOf, withErrorPort, type ErrorHandlingKind } from "@/lib/nodes/shared/error-handling";
import { ancestorsOf, findCycle, indexGraph, reachableFrom } from "./analyze-graph";
import type { FlowIssue } from "./flow-responses";
import { flowGraphSchema, type FlowGraph, type GraphNode } from "./graph";
import { findLoopBodies, loopIssues } from "./loop-bodies";

export type { FlowIssue };

export interface ValidateFlowOptions {
  /** Publish (and run) need a trigger, every node reachable and every reference known; drafts may be incomplete. */
  forPublish: boolean;
}

export function validateFlow(input: unknown, options: ValidateFlowOptions): FlowIssue[] {
  const parsed = flowGraphSchema.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({ field: issue.path.join("."), message: `Invalid flow graph at ${issue.path.join(".") || "(root)"}: ${issue.message}` }));
  }
  const graph = parsed.data;
  const issues: FlowIssue[] = [];

  const nodesById = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (nodesById.has(node.id)) issues.push({ nodeId: node.id, message: `Duplicate node id "${node.id}": every node needs its own id` });
    else nodesById.set(node.id, node);
  }
  const edgeIds = new Set<string>();
  const edgeKeys = new Map<string, string>();
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) issues.push({ edgeId: edge.id, message: `Duplicate edge id "${edge.id}"` });
    edgeIds.add(edge.id);
    const key = `${edge.source}\u0000${edge.sourcePort}\u0000${edge.target}`;
    const twin = edgeKeys.get(key);
    if (twin !== undefined) issues.push({ edgeId: edge.id, message: `Edge "${edge.id}" duplicates edge "${twin}" (same output and target)` });
    else edgeKeys.set(key, edge.id);
  }

  // Kinds and configs.
  const portsByNode = new Map<string, string[]>();
  for (const node of nodesById.values()) {
    const definition = getNodeDefinition(node.kind);
    if (!definition) {
      issues.push({ nodeId: node.id, field: "kind", message: `Node "${node.id}" has unknown kind "${node.kind}"` });
      continue;
    }
    const result = definition.configSchema.safeParse(node.config);
    if (result.success) {
      const ports = definition.outputPorts(result.data);
      const onError = onErrorOf(node, definition);
      if (onError === "route" && ports.includes(ERROR_PORT)) {
        issues.push({ nodeId: node.id, field: "onError", message: `Node "${node.id}" has an output named "${ERROR_PORT}" of its own, so its failures cannot be routed there: rename that output or choose another "On error" setting` });
      }
      portsByNode.set(node.id, withErrorPort(ports, onError));
    } else issues.push(...configIssues(node, result.error));
    issues.push(...onErrorIssues(node, definition));
    issues.push(...expressionSyntaxIssues(node));
  }

  // Edges: both ends exist, ports exist, nothing flows into a trigger.
  for (const edge of graph.edges) {
    const source = nodesById.get(edge.source);
    const target = nodesById.get(edge.target);
    if (!source) issues.push({ edgeId: edge.id, message: `Edge "${edge.id}" starts at node "${edge.source}", which does not exist` });
    if (!target) issues.push({ edgeId: edge.id, message: `Edge "${edge.id}" ends at node "${edge.target}", which does not exist` });
    if (!source || !target) continue;
    if (edge.source === edge.target) issues.push({ edgeId: edge.id, nodeId: edge.source, message: `Edge "${edge.id}" connects node "${edge.source}" to itself` });
    const ports = portsByNode.get(source.id);
    if (ports && !ports.includes(edge.sourcePort) && edge.sourcePort === ERROR_PORT) {
      issues.push({
        edgeId: edge.id,
        nodeId: source.id,
        message: `Edge "${edge.id}" leaves node "${source.id}" through its error output, but that node is not set to "${ON_ERROR_LABELS.route}" (On error): change the setting or remove the edge`,
      });
    } else if (ports && !ports.includes(edge.sourcePort)) {
      issues.push({
        edgeId: edge.id,
        nodeId: source.id,
        message: `Edge "${edge.id}" leaves node "${source.id}" through output "${edge.sourcePort}", which it does not have (outputs: ${ports.join(", ") || "none"})`,
      });
    }
    if (getNodeDefinition(target.kind)?.isTrigger) {
      issues.push({ edgeId: edge.id, nodeId: target.id, message: `Edge "${edge.id}" points into trigger "${target.id}": triggers start a flow and cannot have inputs` });
    }
  }

  const index = indexGraph(graph);
  const cycle = findCycle(graph, index);
  if (cycle) issues.push({ nodeId: cycle[0], message: `Cycle detected: ${cycle.join(" → ")}. Flows must not loop back to an earlier node` });

  if (options.forPublish) {
    const triggers = graph.nodes.filter((node) => getNodeDefinition(node.kind)?.isTrigger);
    if (graph.nodes.length === 0) issues.push({ message: "The flow is empty: add a trigger and at least one action" });
    else if (triggers.length === 0) issues.push({ message: `The flow has no trigger: add a trigger node (${TRIGGER_TITLES})` });
    else {
      const reachable = reachableFrom(triggers.map((node) => node.id), index);
      for (const node of graph.nodes) {
        if (!reachable.has(node.id)) issues.push({ nodeId: node.id, message: `Node "${node.id}" is not connected to any trigger, so it would never run` });
      }
    }
    if (!cycle) issues.push(...loopIssues(graph), ...referenceIssues(graph, index));
    const steps = estimatedSteps(graph);
    if (steps > MAX_STEPS_PER_RUN) {
      issues.push({ message: `The flow is too large to run: it needs about ${steps} durable steps per run and engines allow ${MAX_STEPS_PER_RUN}. Split it into smaller flows` });
    }
  }
  return issues;
}

/** "Form submission, …, Schedule or Manual": the trigger kinds, for the message of a flow without one. */
const TRIGGER_TITLES = (() => {
  const titles = Object.values(nodeDefinitions)
    .filter((definition) => definition.isTrigger)
    .map((definition) => definition.title);
  return `${titles.slice(0, -1).join(", ")} or ${titles.at(-1)}`;
})();

// Inngest allows 1,000 steps per run; keep room for the run's own bookkeeping steps.
const MAX_STEPS_PER_RUN = 950;

/**
 * Steps one run can take: start, finish and alert, one per node, three per pausing node; a loop's
 * item branch counts once per item (maxItems), its pure nodes not at all (they run inline).
 */
function estimatedSteps(graph: FlowGraph): number {
  const perItem = new Map<string, number>();
  for (const body of findLoopBodies(graph).values()) {
    const maxItems = Number((graph.nodes.find((node) => node.id === body.loopId)?.config as { maxItems?: unknown }).maxItems) || 0;
    for (const id of body.nodeIds) perItem.set(id, Math.max(perItem.get(id) ?? 0, maxItems));
  }
  return 3 + graph.nodes.reduce((sum, node) => {
    const definition = getNodeDefinition(node.kind);
    const steps = definition?.pauses ? 3 : 1;
    const items = perItem.get(node.id);
    return sum + (items === undefined ? steps : definition?.pure ? 0 : steps * items);
  }, 0);
}

/** Config issues of one node (for the inspector's badge without validating the whole flow). */
export function validateNodeConfig(node: Pick<GraphNode, "id" | "kind" | "config">): FlowIssue[] {
  const definition = getNodeDefinition(node.kind);
  if (!definition) return [{ nodeId: node.id, field: "kind", message: `Node "${node.id}" has unknown kind "${node.kind}"` }];
  const result = definition.configSchema.safeParse(node.config);
  return [...(result.success ? [] : configIssues(node, result.error)), ...onErrorIssues(node, definition), ...expressionSyntaxIssues(node)];
}

function onErrorIssues(node: Pick<GraphNode, "id" | "config">, kind: ErrorHandlingKind): FlowIssue[] {
  const problem = onErrorIssue(node.config, kind);
  return problem ? [{ nodeId: node.id, field: "onError", message: `Node "${node.id}": ${problem}` }] : [];
}

function configIssues(node: Pick<GraphNode, "id" | "config">, error: z.ZodError): FlowIssue[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join(".");
    const missing = issue.code === "invalid_type" && valueAt(node.config, issue.path) === undefined;
    const message = missing ? `Node "${node.id}": ${field || "config"} is required` : `Node "${node.id}": ${field ? `${field}: ` : ""}${issue.message}`;
    return { nodeId: node.id, field: field || undefined, message };
  });
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let cursor = value;
  for (const key of path) {
    if (!cursor || typeof cursor !== "object") return undefined;
    cursor = (cursor as Record<PropertyKey, unknown>)[key];
  }
  return cursor;
}

function expressionSyntaxIssues(node: Pick<GraphNode, "id" | "kind" | "config">): FlowIssue[] {
  const issues: FlowIssue[] = [];
  visitStrings(node.config, "", (text, field) => {
    if (!hasTemplate(text) || isJavaScript(node, field)) return;
    let parts;
    try {
      parts = parseTemplate(text).parts;
    } catch (error) {
      if (error instanceof TemplateSyntaxError) issues.push({ nodeId: node.id, field, message: `Node "${node.id}": ${field}: ${error.message}` });
      return;
    }
    for (const part of parts) {
      if (part.type !== "expression") continue;
      const problem = checkExpressionSyntax(part.source);
      if (problem) issues.push({ nodeId: node.id, field, message: `Node "${node.id}": ${field}: invalid expression {{ ${part.source} }}: ${problem}` });
    }
  });
  return issues;
}

function visitStrings(value: unknown, path: string, visit: (text: string, field: string) => void) {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => visitStrings(item, `${path}[${i}]`, visit));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) visitStrings(item, path ? `${path}.${key}` : key, visit);
}

function referenceIssues(graph: FlowGraph, index: ReturnType<typeof indexGraph>): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const nodeIds = new Set(graph.nodes.map((node) => node.id));
  const inLoop = new Set([...findLoopBodies(graph).values()].flatMap((body) => [...body.nodeIds]));
  for (const node of graph.nodes) {
    const expressions = nodeExpressions(node);
    if (expressions.length === 0) continue;
    const ancestors = ancestorsOf(node.id, index);
    for (const { field, source } of expressions) {
      let references;
      try {
        references = findReferences(source);
      } catch {
        continue; // syntax errors are reported by expressionSyntaxIssues
      }
      const roots = expressionRoots(inLoop.has(node.id));
      for (const reference of references) {
        if (!roots.includes(reference.root)) {
          issues.push({ nodeId: node.id, field, message: `Node "${node.id}": ${field}: unknown reference "${reference.root}" in {{ ${source} }}; ${describeRoots(inLoop.has(node.id))}` });
        } else if (reference.root === "steps" && reference.nodeId !== undefined) {
          if (!nodeIds.has(reference.nodeId)) {
            issues.push({ nodeId: node.id, field, message: `Node "${node.id}": ${field}: {{ ${source} }} refers to node "${reference.nodeId}", which does not exist` });
          } else if (!ancestors.has(reference.nodeId)) {
            issues.push({ nodeId: node.id, field, message: `Node "${node.id}": ${field}: {{ ${source} }} refers to node "${reference.nodeId}", which does not run before this node` });
          }
        }
      }
    }
  }
  return issues;
}

/** Every expression a node's config evaluates, with the field it sits in. */
export function nodeExpressions(node: Pick<GraphNode, "kind" | "config">): { field: string; source: string }[] {
  const expressions = collectExpressions(node.config).filter(({ field }) => !isJavaScript(node, field));
  // A JSONata field has no braces but reads the same context.
  for (const field of getNodeDefinition(node.kind)?.activeJsonataFields?.(node.config) ?? []) {
    const source = node.config[field];
    if (typeof source === "string") expressions.push({ field, source });
  }
  return expressions;
}

/** Code fields are JavaScript, where "{{" is just braces: no template expressions in them. */
function isJavaScript(node: Pick<GraphNode, "kind">, field: string): boolean {
  return fieldSyntaxOf(node.kind, field) === "javascript";
}
