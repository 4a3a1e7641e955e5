// Restore-as-draft, duplicate and export on PostgreSQL.
import { expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { describeEachDatabase } from "@/tests/helpers/databases";
import { duplicateFlow } from "./duplicate-flow";
import { parseFlowExport, toFlowExport } from "./export-flow";
import type { FlowGraph } from "./graph";
import { createFlow, getFlow, updateFlow } from "./manage-flows";
import { publishFlow } from "./publish-flow";
import { restoreFlowVersion } from "./restore-flow-version";

const v1: FlowGraph = {
  nodes: [
    { id: "hook", kind: "webhook_trigger", name: "", config: { note: "" }, position: { x: 0, y: 0 } },
    { id: "shape", kind: "transform", name: "", config: { mode: "fields", fields: [{ path: "a", value: "1" }], expression: "" }, position: { x: 300, y: 0 } },
  ],
  edges: [{ id: "e1", source: "hook", sourcePort: "out", target: "shape" }],
};

describeEachDatabase("restore, duplicate and export flows", (getDb) => {
  async function setup(workspaceId: string) {
    const { prisma } = getDb();
    await prisma.workspace.create({ data: { id: workspaceId, name: workspaceId, slug: workspaceId } });
    await prisma.user.create({ data: { id: `u-${workspaceId}`, name: "Ada", email: `ada-${workspaceId}@example.com` } });
    return createFlow(prisma, workspaceId, `u-${workspaceId}`, { name: "Orders", description: "d", graph: v1 });
  }

  it("restores a published version as the draft, conflict-safe, and only in its workspace", async () => {
    const { prisma } = getDb();
    const flow = await setup("w1");
    const { version } = await publishFlow(prisma, "w1", flow.id, "u-w1");
    const edited = await updateFlow(prisma, "w1", flow.id, { graph: { nodes: [v1.nodes[0]], edges: [] }, revision: flow.draftRevision });

    await expect(restoreFlowVersion(prisma, "w1", flow.id, version.id, flow.draftRevision)).rejects.toMatchObject({ code: "conflict" });
    const restored = await restoreFlowVersion(prisma, "w1", flow.id, version.id, edited.draftRevision);
    expect(restored.graph).toEqual(v1);
    expect(restored.draftRevision).toBe(edited.draftRevision + 1);

    await setup("w2");
    const error = await restoreFlowVersion(prisma, "w2", flow.id, version.id, restored.draftRevision).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("not_found");
  });

  it("duplicates a draft into a new flow with its own trigger endpoint", async () => {
    const { prisma } = getDb();
    const flow = await setup("w3");
    const copy = await duplicateFlow(prisma, "w3", "u-w3", flow.id);
    expect(copy.id).not.toBe(flow.id);
    expect(copy.name).toBe("Orders (copy)");
    expect(copy.graph).toEqual(v1);
    const endpoints = await prisma.endpoint.findMany({ where: { workspaceId: "w3" }, select: { flowId: true, token: true } });
    expect(endpoints.map((e) => e.flowId).sort()).toEqual([flow.id, copy.id].sort());
    expect(new Set(endpoints.map((e) => e.token)).size).toBe(2);
  });

  it("exports a flow that imports back to the same graph, and names what is wrong with a bad file", async () => {
    const { prisma } = getDb();
    const flow = await setup("w4");
    const text = JSON.stringify(toFlowExport(await getFlow(prisma, "w4", flow.id)));
    const parsed = parseFlowExport(text);
    const imported = await createFlow(prisma, "w4", "u-w4", { name: parsed.name, description: parsed.description, graph: parsed.graph });
    expect(imported.graph).toEqual(v1);
    expect(() => parseFlowExport('{"format":"other"}')).toThrow('format: Not a Switchyard flow export (expected "format": "switchyard.flow")');
    expect(() => parseFlowExport("{nope")).toThrow(/The file is not valid JSON/);
  });
});
