import { describe, expect, it } from "vitest";
import { parseFlowGraph } from "../graph";
import { validateFlow } from "../validate-flow";
import { FLOW_TEMPLATES } from "./index";

describe("flow templates", () => {
  it("offers the templates the gallery promises", () => {
    expect(FLOW_TEMPLATES.map((template) => template.trigger)).toEqual(["form_trigger", "payment_trigger", "content_trigger", "webhook_trigger", "webhook_trigger", "webhook_trigger", "schedule_trigger", "manual_trigger", "webhook_trigger"]);
    // A signup handed to a shared flow shows call_flow.
    expect(FLOW_TEMPLATES.find((template) => template.id === "webhook-call-shared-flow")?.graph.nodes.map((node) => node.kind)).toContain("call_flow");
    // A loop over an order's lines shows for_each.
    expect(FLOW_TEMPLATES.find((template) => template.id === "order-lines-for-each")?.graph.nodes.map((node) => node.kind)).toContain("for_each");
    // A JavaScript step shows the code node.
    expect(FLOW_TEMPLATES.find((template) => template.id === "webhook-code-respond")?.graph.nodes.map((node) => node.kind)).toContain("code");
  });

  it.each(FLOW_TEMPLATES.map((template) => [template.name, template] as const))("%s is a valid flow once its credentials are chosen", (_name, template) => {
    const graph = parseFlowGraph(template.graph);
    const issues = validateFlow(graph, { forPublish: true });
    // Credentials and called flows are workspace-specific, so they are the only things a template may leave open.
    expect(issues.filter((issue) => issue.field !== "credentialId" && issue.field !== "flowId")).toEqual([]);
    const chosen = (config: Record<string, unknown>) => ({ ...config, ...("credentialId" in config ? { credentialId: "cred_1" } : {}), ...("flowId" in config ? { flowId: "flow_1" } : {}) });
    const withCredentials = { ...graph, nodes: graph.nodes.map((node) => ({ ...node, config: chosen(node.config) })) };
    expect(validateFlow(withCredentials, { forPublish: true })).toEqual([]);
  });
});
