"use client";

// The canvas: xyflow with the store's nodes/edges, drop target for the palette, minimap, zoom
// controls, snap to grid. Invalid connections are refused with a hint from the store.
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeTypes,
} from "@xyflow/react";
import { Map as MapIcon } from "lucide-react";
import { useCallback, useState, type DragEvent } from "react";
import type { StepNode } from "@/lib/flows/xyflow-adapter";
import { useEditor, useEditorStoreApi } from "./editor-context";
import { NODE_DRAG_TYPE } from "./node-palette";
import { GRID, snap } from "./quick-add-dialog";
import { StepNodeComponent } from "./step-node";

// Defined once at module level so xyflow never sees a new nodeTypes object.
const NODE_TYPES: NodeTypes = { step: StepNodeComponent };
const DEFAULT_EDGE_OPTIONS = { type: "smoothstep", style: { strokeWidth: 2 } } as const;
const SNAP_GRID: [number, number] = [GRID, GRID];
const DELETE_KEYS = ["Backspace", "Delete"];
const PRO_OPTIONS = { hideAttribution: true };
const LARGE_FLOW_NODES = 300;

export function FlowCanvas() {
  const store = useEditorStoreApi();
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const readOnly = useEditor((state) => state.readOnly);
  const onNodesChange = useEditor((state) => state.onNodesChange);
  const onEdgesChange = useEditor((state) => state.onEdgesChange);
  const onConnect = useEditor((state) => state.onConnect);
  const { screenToFlowPosition } = useReactFlow();
  // Fit only a flow that opens with steps: fitting the first node of an empty flow would jump the view.
  const [fitOnOpen] = useState(() => store.getState().nodes.length > 0);
  // The minimap redraws every node on every frame of a drag: off by default for very large flows.
  const [showMinimap, setShowMinimap] = useState(() => store.getState().nodes.length <= LARGE_FLOW_NODES);

  const isValidConnection = useCallback<IsValidConnection>(
    (connection) => store.getState().connectionProblem({ source: connection.source, target: connection.target }) === null,
    [store],
  );

  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      // Dropped on a node but refused: say why.
      if (!state.isValid && state.fromNode && state.toNode) {
        const problem = store.getState().connectionProblem({ source: state.fromNode.id, target: state.toNode.id });
        if (problem) store.getState().setHint(problem);
      }
    },
    [store],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(NODE_DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(NODE_DRAG_TYPE);
      if (!kind || store.getState().readOnly) return;
      event.preventDefault();
      // Centre the node under the pointer.
      const position = screenToFlowPosition({ x: event.clientX - 120, y: event.clientY - 30 });
      store.getState().addNode(kind, snap(position));
    },
    [screenToFlowPosition, store],
  );

  const onNodeDragStart = useCallback(() => store.getState().beginDrag(), [store]);

  return (
    <ReactFlow<StepNode>
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onConnectEnd={onConnectEnd}
      isValidConnection={isValidConnection}
      onNodeDragStart={onNodeDragStart}
      onDragOver={onDragOver}
      onDrop={onDrop}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      deleteKeyCode={readOnly ? null : DELETE_KEYS}
      multiSelectionKeyCode={["Shift", "Meta", "Control"]}
      snapToGrid
      snapGrid={SNAP_GRID}
      defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
      connectionLineType={ConnectionLineType.SmoothStep}
      fitView={fitOnOpen}
      fitViewOptions={{ maxZoom: 1, padding: 0.2 }}
      minZoom={0.1}
      maxZoom={2}
      onlyRenderVisibleElements={nodes.length > 200}
      proOptions={PRO_OPTIONS}
      aria-label="Flow canvas"
    >
      <Background variant={BackgroundVariant.Dots} gap={GRID} size={1} color="#cbd5e1" />
      {showMinimap && nodes.length > 0 ? <MiniMap pannable zoomable ariaLabel="Minimap" className="!bottom-2 !right-2" nodeStrokeWidth={3} /> : null}
      <Controls position="bottom-left" showInteractive={!readOnly}>
        <ControlButton onClick={() => setShowMinimap(!showMinimap)} title={showMinimap ? "Hide minimap" : "Show minimap"} aria-label={showMinimap ? "Hide minimap" : "Show minimap"}>
          <MapIcon aria-hidden />
        </ControlButton>
      </Controls>
    </ReactFlow>
  );
}
