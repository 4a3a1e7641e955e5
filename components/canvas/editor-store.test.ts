import { describe, expect, it } from "vitest";
import { createEditorStore } from "./editor-store";
import type { FlowGraph } from "@/lib/flows/graph";

const graph: FlowGraph = {
  nodes: [
    { id: "hook", kind: "webhook_trigger", name: "", config: { note: "" }, position: { x: 0, y: 0 } },
    { id: "shape", kind: "transform", name: "", config: { mode: "fields", fields: [{ path: "a", value: "1" }], expression: "" }, position: { x: 300, y: 0 } },
  ],
  edges: [{ id: "e1", source: "hook", sourcePort: "out", target: "shape" }],
};

const store = () => createEditorStore({ flowId: "flow_1", graph, revision: 3 });

describe("editor store", () => {
  it("refuses connections into a trigger, to itself and that would loop, with a reason", () => {
    const s = store().getState();
    expect(s.connectionProblem({ source: "shape", target: "hook" })).toBe("Triggers start a flow and cannot have inputs");
    expect(s.connectionProblem({ source: "shape", target: "shape" })).toBe("A node cannot connect to itself");
    const editor = store();
    const id = editor.getState().addNode("transform", { x: 600, y: 0 }, { nodeId: "shape", port: "out" });
    expect(editor.getState().connectionProblem({ source: id, target: "shape" })).toMatch(/loop/);
    editor.getState().onConnect({ source: id, target: "shape", sourceHandle: "out", targetHandle: null });
    expect(editor.getState().edges).toHaveLength(2);
    expect(editor.getState().hint).toMatch(/loop/);
  });

  it("undoes and redoes adding a node with its connection, and counts each as a change to save", () => {
    const editor = store();
    const id = editor.getState().addNode("http_request", { x: 600, y: 0 }, { nodeId: "shape", port: "out" });
    expect(id).toBe("http_request");
    expect(editor.getState().edges.map((edge) => edge.target)).toContain("http_request");
    expect(editor.getState().saveStatus).toBe("dirty");
    editor.getState().undo();
    expect(editor.getState().graph()).toEqual(graph);
    editor.getState().redo();
    expect(editor.getState().graph().nodes.map((node) => node.id)).toEqual(["hook", "shape", "http_request"]);
    expect(editor.getState().changeId).toBe(3);
  });

  it("groups typing in one field into one undo step", () => {
    const editor = store();
    for (const note of ["O", "Or", "Ord"]) editor.getState().updateNodeConfig("hook", { note });
    expect(editor.getState().past).toHaveLength(1);
    editor.getState().undo();
    expect(editor.getState().graph().nodes[0].config).toEqual({ note: "" });
  });

  it("pastes copied steps with new ids and their inner connection", () => {
    const editor = store();
    editor.getState().onNodesChange([
      { type: "select", id: "hook", selected: true },
      { type: "select", id: "shape", selected: true },
    ]);
    expect(editor.getState().copySelection()).toBe(2);
    expect(editor.getState().paste()).toBe(2);
    const pasted = editor.getState().graph();
    expect(pasted.nodes.map((node) => node.id)).toEqual(["hook", "shape", "hook_copy", "shape_copy"]);
    expect(pasted.edges.at(-1)).toMatchObject({ source: "hook_copy", target: "shape_copy", sourcePort: "out" });
  });

  it("keeps the derived summary and config issues of each node up to date", () => {
    const editor = store();
    editor.getState().addNode("http_request", { x: 0, y: 200 });
    const node = () => editor.getState().nodes.find((n) => n.id === "http_request")!;
    expect(node().data.configIssues).toContain("url: URL is required");
    editor.getState().updateNodeConfig("http_request", { ...node().data.config, url: "https://api.example.com/x" });
    expect(node().data.configIssues).toEqual([]);
    expect(node().data.summary).toBe("POST https://api.example.com/x");
  });
});
