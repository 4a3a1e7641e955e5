// The builder's state: one zustand store per open flow (provided through React context, read
// with selectors). Holds the xyflow nodes/edges, undo/redo history, clipboard, save state,
// publish issues and the overlay of the latest test run. Framework-free apart from xyflow's
// change helpers, so it can be tested without a browser.
import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from "@xyflow/react";
import { createStore } from "zustand/vanilla";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import type { FlowGraph } from "@/lib/flows/graph";
import { initialNodeConfig } from "@/lib/flows/node-config-schema";
import type { FlowIssue } from "@/lib/flows/validate-flow";
import type { EndpointView } from "@/lib/webhooks/endpoints/endpoint-input";
import { canvasToGraph, describeStep, graphToCanvas, STEP_NODE_TYPE, toStepEdge, type StepEdge, type StepNode } from "@/lib/flows/xyflow-adapter";

export type SaveStatus = "saved" | "dirty" | "saving" | "error" | "conflict";

export interface StepRunView {
  status: string;
  durationMs: number | null;
  attempt: number;
  input: unknown;
  output: unknown;
  error: unknown;
}

export interface TestRunView {
  runId: string;
  status: string;
  steps: Record<string, StepRunView>;
}

export interface QuickAddRequest {
  /** Connect the new node after this node's output. */
  from?: { nodeId: string; port: string };
  /** Where to put it (flow coordinates); defaults to the viewport centre. */
  position?: XYPosition;
}

const HISTORY_LIMIT = 100;
const COALESCE_MS = 1500;
const PASTE_OFFSET = 48;

export interface EditorState {
  flowId: string;
  readOnly: boolean;
  nodes: StepNode[];
  edges: StepEdge[];
  /** Server draft revision the current graph is based on (conflict-safe saves). */
  revision: number;
  /** Increments on every change of the graph; the autosaver saves until savedChangeId catches up. */
  changeId: number;
  savedChangeId: number;
  saveStatus: SaveStatus;
  saveError: string | null;
  past: FlowGraph[];
  future: FlowGraph[];
  coalesceKey: string | null;
  coalesceAt: number;
  clipboard: FlowGraph | null;
  issues: FlowIssue[];
  /** Short message about something the canvas refused (invalid connection…). */
  hint: string | null;
  quickAdd: QuickAddRequest | null;
  samplePayload: unknown;
  testRun: TestRunView | null;
  /** The webhook endpoint of each trigger node, by node id (read from the API after each save). */
  endpoints: Record<string, EndpointView>;

  onNodesChange(changes: NodeChange<StepNode>[]): void;
  onEdgesChange(changes: EdgeChange<StepEdge>[]): void;
  onConnect(connection: Connection): void;
  connectionProblem(connection: Pick<Connection, "source" | "target">): string | null;
  beginDrag(): void;
  addNode(kind: string, position: XYPosition, from?: { nodeId: string; port: string }): string;
  updateNodeConfig(nodeId: string, config: Record<string, unknown>): void;
  renameNode(nodeId: string, name: string): void;
  deleteNodes(nodeIds: string[]): void;
  selectOnly(nodeId: string | null): void;
  copySelection(): number;
  paste(): number;
  duplicateSelection(): number;
  undo(): void;
  redo(): void;
  applyPositions(positions: Record<string, XYPosition>): void;
  replaceGraph(graph: FlowGraph, revision: number): void;
  markSaving(): void;
  markSaved(changeId: number, revision: number): void;
  markSaveFailed(message: string, conflict: boolean): void;
  setIssues(issues: FlowIssue[]): void;
  setHint(hint: string | null): void;
  openQuickAdd(request: QuickAddRequest | null): void;
  setSamplePayload(payload: unknown): void;
  setEndpoints(endpoints: EndpointView[]): void;
  setTestRun(run: TestRunView | null): void;
  graph(): FlowGraph;
}

export interface EditorInit {
  flowId: string;
  graph: FlowGraph;
  revision: number;
  readOnly?: boolean;
  samplePayload?: unknown;
}

export type EditorStore = ReturnType<typeof createEditorStore>;

export function createEditorStore(init: EditorInit) {
  const canvas = graphToCanvas(init.graph);
  return createStore<EditorState>()((set, get) => {
    /** Records the current graph for undo before a change; changes with the same key close together count as one step. */
    function remember(coalesceKey: string | null = null) {
      const state = get();
      const now = Date.now();
      if (coalesceKey && state.coalesceKey === coalesceKey && now - state.coalesceAt < COALESCE_MS) {
        set({ coalesceAt: now });
        return;
      }
      set({
        past: [...state.past.slice(-(HISTORY_LIMIT - 1)), canvasToGraph(state.nodes, state.edges)],
        future: [],
        coalesceKey,
        coalesceAt: now,
      });
    }

    /** Deleting a node removes its edges in a second change batch: both share one undo step. */
    function rememberOnce() {
      const state = get();
      if (state.coalesceKey === "delete" && Date.now() - state.coalesceAt < 100) return;
      remember();
      set({ coalesceKey: "delete" });
    }

    function changed(partial: Partial<EditorState>) {
      const state = get();
      set({ ...partial, changeId: state.changeId + 1, saveStatus: state.saveStatus === "conflict" ? "conflict" : "dirty" });
    }

    /** Rebuilds nodes from a graph, keeping the derived data of nodes whose name and config did not change. */
    function restore(graph: FlowGraph): { nodes: StepNode[]; edges: StepEdge[] } {
      const current = new Map(get().nodes.map((node) => [node.id, node]));
      const nodes = graph.nodes.map((node): StepNode => {
        const existing = current.get(node.id);
        const data =
          existing && existing.data.config === node.config && existing.data.name === node.name && existing.data.kind === node.kind
            ? existing.data
            : describeStep(node.kind, node.name, node.config);
        // Keep what is selected, so the open inspector stays open through undo/redo.
        return { id: node.id, type: STEP_NODE_TYPE, position: { ...node.position }, data, ...(existing?.selected ? { selected: true } : {}) };
      });
      return { nodes, edges: graph.edges.map(toStepEdge) };
    }

    function pasteGraph(graph: FlowGraph): number {
      if (graph.nodes.length === 0) return 0;
      remember();
      const state = get();
      const taken = new Set(state.nodes.map((node) => node.id));
      const idMap = new Map<string, string>();
      for (const node of graph.nodes) {
        const id = uniqueNodeId(node.id.replace(/_copy(_\d+)?$/, "") + "_copy", taken);
        taken.add(id);
        idMap.set(node.id, id);
      }
      const pasted: StepNode[] = graph.nodes.map((node) => ({
        id: idMap.get(node.id)!,
        type: STEP_NODE_TYPE,
        position: { x: node.position.x + PASTE_OFFSET, y: node.position.y + PASTE_OFFSET },
        selected: true,
        data: describeStep(node.kind, node.name ? `${node.name} (copy)` : "", structuredClone(node.config)),
      }));
      const pastedEdges = graph.edges.map((edge) =>
        toStepEdge({ id: `${edge.id}_copy_${Date.now().toString(36)}`, source: idMap.get(edge.source)!, sourcePort: edge.sourcePort, target: idMap.get(edge.target)! }),
      );
      changed({
        nodes: [...state.nodes.map((node) => (node.selected ? { ...node, selected: false } : node)), ...pasted],
        edges: [...state.edges, ...pastedEdges],
      });
      return pasted.length;
    }

    function selectedSubgraph(): FlowGraph {
      const state = get();
      const selected = state.nodes.filter((node) => node.selected);
      const ids = new Set(selected.map((node) => node.id));
      return canvasToGraph(
        selected,
        state.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
      );
    }

    return {
      flowId: init.flowId,
      readOnly: init.readOnly ?? false,
      nodes: canvas.nodes,
      edges: canvas.edges,
      revision: init.revision,
      changeId: 0,
      savedChangeId: 0,
      saveStatus: "saved",
      saveError: null,
      past: [],
      future: [],
      coalesceKey: null,
      coalesceAt: 0,
      clipboard: null,
      issues: [],
      hint: null,
      quickAdd: null,
      samplePayload: init.samplePayload ?? null,
      endpoints: {},
      testRun: null,

      onNodesChange(changes) {
        const state = get();
        if (state.readOnly) {
          set({ nodes: applyNodeChanges(changes.filter((c) => c.type === "select" || c.type === "dimensions"), state.nodes) });
          return;
        }
        const removes = changes.some((change) => change.type === "remove");
        // A drag ends with a position change whose dragging flag is false: that is the moment to save.
        const moved = changes.some((change) => change.type === "position" && change.dragging === false);
        const added = changes.some((change) => change.type === "add" || change.type === "replace");
        if (removes) rememberOnce();
        const nodes = applyNodeChanges(changes, state.nodes);
        if (removes || moved || added) changed({ nodes });
        else set({ nodes });
      },

      onEdgesChange(changes) {
        const state = get();
        if (state.readOnly) {
          set({ edges: applyEdgeChanges(changes.filter((c) => c.type === "select"), state.edges) });
          return;
        }
        const structural = changes.some((change) => change.type !== "select");
        if (structural) rememberOnce();
        const edges = applyEdgeChanges(changes, state.edges);
        if (structural) changed({ edges });
        else set({ edges });
      },

      connectionProblem({ source, target }) {
        const state = get();
        if (!source || !target) return "Drop the connection on a node's input";
        if (source === target) return "A node cannot connect to itself";
        const targetNode = state.nodes.find((node) => node.id === target);
        if (!targetNode) return "That node no longer exists";
        if (getNodeDefinition(targetNode.data.kind)?.isTrigger ?? targetNode.data.isTrigger) {
          return "Triggers start a flow and cannot have inputs";
        }
        // Refuse a connection that would let a run loop back to an earlier node.
        const outgoing = new Map<string, string[]>();
        for (const edge of state.edges) outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge.target]);
        const queue = [target];
        const seen = new Set<string>();
        while (queue.length) {
          const id = queue.pop()!;
          if (id === source) return "That connection would create a loop: flows must not lead back to an earlier step";
          if (seen.has(id)) continue;
          seen.add(id);
          queue.push(...(outgoing.get(id) ?? []));
        }
        return null;
      },

      onConnect(connection) {
        const state = get();
        if (state.readOnly) return;
        const problem = state.connectionProblem(connection);
        if (problem) {
          set({ hint: problem });
          return;
        }
        const port = connection.sourceHandle ?? "out";
        if (state.edges.some((edge) => edge.source === connection.source && (edge.sourceHandle ?? "out") === port && edge.target === connection.target)) return;
        remember();
        const edge = toStepEdge({ id: uniqueEdgeId(`${connection.source}-${port}-${connection.target}`, state.edges), source: connection.source, sourcePort: port, target: connection.target });
        changed({ edges: addEdge(edge, state.edges), hint: null });
      },

      beginDrag() {
        remember();
      },

      addNode(kind, position, from) {
        remember();
        const state = get();
        const id = uniqueNodeId(baseNodeId(kind), new Set(state.nodes.map((node) => node.id)));
        const node: StepNode = { id, type: STEP_NODE_TYPE, position, selected: true, data: describeStep(kind, "", initialNodeConfig(kind)) };
        let edges = state.edges;
        if (from && !node.data.isTrigger) {
          edges = [...edges, toStepEdge({ id: uniqueEdgeId(`${from.nodeId}-${from.port}-${id}`, edges), source: from.nodeId, sourcePort: from.port, target: id })];
        }
        changed({
          nodes: [...state.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
          edges: edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
        });
        return id;
      },

      updateNodeConfig(nodeId, config) {
        if (get().readOnly) return;
        remember(`config:${nodeId}`);
        changed({
          nodes: get().nodes.map((node) => (node.id === nodeId ? { ...node, data: describeStep(node.data.kind, node.data.name, config, node.data.ports) } : node)),
        });
      },

      renameNode(nodeId, name) {
        if (get().readOnly) return;
        remember(`name:${nodeId}`);
        changed({ nodes: get().nodes.map((node) => (node.id === nodeId ? { ...node, data: { ...node.data, name } } : node)) });
      },

      deleteNodes(nodeIds) {
        if (get().readOnly || nodeIds.length === 0) return;
        remember();
        const ids = new Set(nodeIds);
        const state = get();
        changed({
          nodes: state.nodes.filter((node) => !ids.has(node.id)),
          edges: state.edges.filter((edge) => !ids.has(edge.source) && !ids.has(edge.target)),
        });
      },

      selectOnly(nodeId) {
        set({
          nodes: get().nodes.map((node) => {
            const selected = node.id === nodeId;
            return node.selected === selected ? node : { ...node, selected };
          }),
          edges: get().edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
        });
      },

      copySelection() {
        const subgraph = selectedSubgraph();
        if (subgraph.nodes.length) set({ clipboard: subgraph });
        return subgraph.nodes.length;
      },

      paste() {
        const clipboard = get().clipboard;
        return clipboard && !get().readOnly ? pasteGraph(clipboard) : 0;
      },

      duplicateSelection() {
        return get().readOnly ? 0 : pasteGraph(selectedSubgraph());
      },

      undo() {
        const state = get();
        const previous = state.past.at(-1);
        if (!previous || state.readOnly) return;
        const current = canvasToGraph(state.nodes, state.edges);
        changed({ ...restore(previous), past: state.past.slice(0, -1), future: [...state.future, current], coalesceKey: null });
      },

      redo() {
        const state = get();
        const next = state.future.at(-1);
        if (!next || state.readOnly) return;
        const current = canvasToGraph(state.nodes, state.edges);
        changed({ ...restore(next), future: state.future.slice(0, -1), past: [...state.past, current], coalesceKey: null });
      },

      applyPositions(positions) {
        remember();
        changed({ nodes: get().nodes.map((node) => (positions[node.id] ? { ...node, position: positions[node.id] } : node)) });
      },

      replaceGraph(graph, revision) {
        const canvasGraph = graphToCanvas(graph);
        const state = get();
        set({
          ...canvasGraph,
          revision,
          past: [],
          future: [],
          coalesceKey: null,
          savedChangeId: state.changeId,
          saveStatus: "saved",
          saveError: null,
          issues: [],
        });
      },

      markSaving() {
        set({ saveStatus: "saving", saveError: null });
      },

      markSaved(changeId, revision) {
        const state = get();
        set({ savedChangeId: changeId, revision, saveStatus: state.changeId === changeId ? "saved" : "dirty", saveError: null });
      },

      markSaveFailed(message, conflict) {
        set({ saveStatus: conflict ? "conflict" : "error", saveError: message });
      },

      setIssues(issues) {
        set({ issues });
      },

      setHint(hint) {
        set({ hint });
      },

      openQuickAdd(request) {
        set({ quickAdd: request });
      },

      setEndpoints(endpoints) {
        set((state) => ({ endpoints: { ...state.endpoints, ...Object.fromEntries(endpoints.map((e) => [e.nodeId, e])) } }));
      },
      setSamplePayload(payload) {
        set({ samplePayload: payload });
      },

      setTestRun(run) {
        set({ testRun: run });
      },

      graph() {
        return canvasToGraph(get().nodes, get().edges);
      },
    };
  });
}

/** Readable node ids, because expressions name them: steps.http_request.body. */
export function baseNodeId(kind: string): string {
  if (kind.endsWith("_trigger")) return kind.replace(/_trigger$/, "");
  return kind;
}

export function uniqueNodeId(base: string, taken: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 56) || "node";
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}_${i}`)) return `${clean}_${i}`;
}

function uniqueEdgeId(base: string, edges: readonly StepEdge[]): string {
  const taken = new Set(edges.map((edge) => edge.id));
  const clean = base.slice(0, 120);
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}-${i}`)) return `${clean}-${i}`;
}
