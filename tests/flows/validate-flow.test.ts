// Publish-time validation: exact messages, each pointing at its node, edge or field.
import { describe, expect, it } from "vitest";
import { validateFlow, validateNodeConfig } from "@/lib/flows/validate-flow";
import { nodeDefinitions, outputPortsOf, summarizeNode, type NodeKind } from "@/lib/nodes/definitions";
import { paletteGroups, searchNodeDefinitions } from "@/lib/nodes/palette";
import { edge, node, triggerNode } from "../helpers/flows-and-receivers";

const http = (id: string, config: Record<string, unknown> = {}) => node(id, "http_request", { url: "https://api.example.com/x", ...config });

describe("validateFlow", () => {
  it("accepts a valid flow", () => {
    const graph = { nodes: [triggerNode(), http("call", { jsonBody: { e: "{{ trigger.body.email }}" } })], edges: [edge("trigger", "call")] };
    expect(validateFlow(graph, { forPublish: true })).toEqual([]);
  });

  it("reports cycles with their path", () => {
    const graph = {
      nodes: [triggerNode(), http("a"), http("b"), http("c")],
      edges: [edge("trigger", "a"), edge("a", "b"), edge("b", "c"), edge("c", "a")],
    };
    expect(validateFlow(graph, { forPublish: true })).toContainEqual({ nodeId: "a", message: "Cycle detected: a → b → c → a. Flows must not loop back to an earlier node" });
  });

  it("reports unknown kinds, duplicate ids and dangling edges", () => {
    const graph = {
      nodes: [triggerNode(), node("x", "ftp_upload", {}), http("a"), http("a")],
      edges: [edge("trigger", "a"), { id: "e9", source: "a", sourcePort: "out", target: "ghost" }, { id: "e8", source: "nobody", sourcePort: "out", target: "a" }],
    };
    const messages = validateFlow(graph, { forPublish: false }).map((issue) => issue.message);
    expect(messages).toContain('Node "x" has unknown kind "ftp_upload"');
    expect(messages).toContain('Duplicate node id "a": every node needs its own id');
    expect(messages).toContain('Edge "e9" ends at node "ghost", which does not exist');
    expect(messages).toContain('Edge "e8" starts at node "nobody", which does not exist');
  });

  it("reports ports a node does not have and edges into triggers", () => {
    const graph = {
      nodes: [triggerNode(), node("check", "condition", { rules: [{ left: "{{ trigger.body.a }}", operator: "exists" }] }), http("a")],
      edges: [edge("trigger", "check"), edge("check", "a", "maybe"), edge("a", "trigger")],
    };
    const issues = validateFlow(graph, { forPublish: true });
    expect(issues).toContainEqual({ edgeId: "check-maybe-a", nodeId: "check", message: 'Edge "check-maybe-a" leaves node "check" through output "maybe", which it does not have (outputs: true, false)' });
    expect(issues).toContainEqual({ edgeId: "a-out-trigger", nodeId: "trigger", message: 'Edge "a-out-trigger" points into trigger "trigger": triggers start a flow and cannot have inputs' });
  });

  it("reports missing and invalid config with the field", () => {
    const graph = {
      nodes: [triggerNode(), node("call", "http_request", { method: "FETCH" }), node("mail", "send_email", { credentialId: "c1", to: "a@b.c", subject: "s" })],
      edges: [edge("trigger", "call"), edge("call", "mail")],
    };
    const issues = validateFlow(graph, { forPublish: true });
    expect(issues).toContainEqual({ nodeId: "call", field: "url", message: 'Node "call": url is required' });
    expect(issues).toContainEqual(expect.objectContaining({ nodeId: "call", field: "method", message: expect.stringMatching(/^Node "call": method: Invalid option/) }));
    expect(issues).toContainEqual({ nodeId: "mail", field: "text", message: 'Node "mail": text: Write a plain-text or an HTML body' });
  });

  it("requires a trigger and reachable nodes for publish, not for drafts", () => {
    const noTrigger = { nodes: [http("a")], edges: [] };
    expect(validateFlow(noTrigger, { forPublish: true })).toContainEqual({ message: "The flow has no trigger: add a trigger node (Form submission, Payment event, Content published, Webhook, Schedule or Manual)" });
    expect(validateFlow(noTrigger, { forPublish: false })).toEqual([]);
    const island = { nodes: [triggerNode(), http("a"), http("lonely")], edges: [edge("trigger", "a")] };
    expect(validateFlow(island, { forPublish: true })).toEqual([{ nodeId: "lonely", message: 'Node "lonely" is not connected to any trigger, so it would never run' }]);
    expect(validateFlow({ nodes: [], edges: [] }, { forPublish: true })).toEqual([{ message: "The flow is empty: add a trigger and at least one action" }]);
  });

  it("reports unknown expression references and references to nodes that do not run before", () => {
    const graph = {
      nodes: [
        triggerNode(),
        http("a", { jsonBody: { x: "{{ payload.email }}", y: "{{ steps.b.body.id }}", z: "{{ steps.ghost.id }}" } }),
        http("b"),
      ],
      edges: [edge("trigger", "a"), edge("trigger", "b")],
    };
    const messages = validateFlow(graph, { forPublish: true }).map((issue) => issue.message);
    expect(messages).toEqual([
      'Node "a": jsonBody.x: unknown reference "payload" in {{ payload.email }}; expressions start with trigger, steps or run',
      'Node "a": jsonBody.y: {{ steps.b.body.id }} refers to node "b", which does not run before this node',
      'Node "a": jsonBody.z: {{ steps.ghost.id }} refers to node "ghost", which does not exist',
    ]);
  });

  it("reports expression syntax errors", () => {
    const graph = { nodes: [triggerNode(), http("a", { url: "https://x.test/{{ trigger.body. }}" })], edges: [edge("trigger", "a")] };
    expect(validateFlow(graph, { forPublish: false })).toEqual([
      expect.objectContaining({ nodeId: "a", field: "url", message: expect.stringMatching(/^Node "a": url: invalid expression \{\{ trigger\.body\. \}\}: /) }),
    ]);
  });

  it("refuses to publish a flow that would exceed the engine's steps per run", () => {
    const nodes = [triggerNode(), ...Array.from({ length: 320 }, (_, i) => node(`d${i}`, "delay", { duration: { amount: 1, unit: "seconds" } }))];
    const edges = nodes.slice(1).map((n, i) => edge(nodes[i].id, n.id));
    expect(validateFlow({ nodes, edges }, { forPublish: true })).toEqual([
      { message: "The flow is too large to run: it needs about 964 durable steps per run and engines allow 950. Split it into smaller flows" },
    ]);
    expect(validateFlow({ nodes, edges }, { forPublish: false })).toEqual([]);
  });

  it("reports a malformed graph", () => {
    expect(validateFlow({ nodes: [{ id: "bad id!", kind: "x" }] }, { forPublish: true })[0].message).toMatch(/^Invalid flow graph at nodes\.0\.id: Node ids may contain only letters, digits, _ and -/);
  });

  it("validates one node's config for inspector badges", () => {
    expect(validateNodeConfig({ id: "n", kind: "slack_message", config: { credentialId: "c" } })).toEqual([{ nodeId: "n", field: "text", message: 'Node "n": text is required' }]);
  });
});

describe("node registry", () => {
  const NODE_KINDS = Object.keys(nodeDefinitions) as NodeKind[];

  it("has a definition for every kind, with a schema that describes its fields", () => {
    for (const kind of NODE_KINDS) {
      const definition = nodeDefinitions[kind];
      expect(definition.kind).toBe(kind);
      expect(definition.title.length).toBeGreaterThan(2);
      expect(definition.icon).toMatch(/^[A-Z][A-Za-z]+$/);
    }
  });

  it("groups every kind into the palette and finds kinds by search", () => {
    const groups = paletteGroups();
    expect(groups.map((group) => group.label)).toEqual(["Triggers", "HTTP", "Messaging", "Data", "Logic", "Timing & approvals", "Response"]);
    expect(groups.flatMap((group) => group.definitions.map((definition) => definition.kind)).sort()).toEqual([...NODE_KINDS].sort());
    expect(searchNodeDefinitions("slack").map((definition) => definition.kind)).toEqual(["slack_message"]);
  });

  it("derives switch ports from its cases and summarizes nodes in one line", () => {
    const config = { cases: [{ name: "eu", rules: [{ left: "x", operator: "exists" }] }, { name: "us", rules: [{ left: "y", operator: "exists" }] }] };
    expect(outputPortsOf("switch", config)).toEqual(["eu", "us", "default"]);
    expect(summarizeNode("http_request", { method: "POST", url: "https://crm.test/leads" })).toBe("POST https://crm.test/leads");
    expect(summarizeNode("condition", { rules: [{ left: "{{ trigger.body.amount }}", operator: "greater_than", right: "100" }] })).toBe("If {{ trigger.body.amount }} > 100");
    expect(summarizeNode("slack_message", {})).toBe("Needs configuration");
  });
});
