// Runs one node attempt the way run-workflow does, against a real database (for credentials).
import type { TestDatabase } from "@/tests/helpers/databases";
import { createCredential } from "@/lib/credentials/manage-credentials";
import type { TriggerPayload } from "@/lib/expressions/expression-context";
import { executeNodeAttempt, resumeNodeAttempt, type ItemScope } from "@/lib/runs/execute-node";
import { seedWorkspace } from "../helpers/flows-and-receivers";

export interface Harness {
  workspaceId: string;
  credential(type: string, data: unknown): Promise<string>;
  run(kind: string, config: Record<string, unknown>, options?: RunOptions): ReturnType<typeof executeNodeAttempt>;
  resume(kind: string, config: Record<string, unknown>, event: { data: unknown } | null, pauseOutput: unknown): ReturnType<typeof resumeNodeAttempt>;
}

interface RunOptions {
  body?: unknown;
  steps?: Record<string, unknown>;
  allowedHosts?: string[];
  nodeId?: string;
  /** Runs the node as one item of a for_each loop. */
  item?: ItemScope;
}

export async function createHarness(db: TestDatabase): Promise<Harness> {
  const workspace = await seedWorkspace(db.prisma);
  let n = 0;
  const trigger = (body: unknown): TriggerPayload => ({ body, headers: {}, query: {}, method: "POST", receivedAt: "2026-11-26T10:00:00.000Z" });
  const facts = (options: RunOptions) => ({
    id: "run_test",
    flowId: "flow_test",
    workspaceId: workspace.id,
    isTest: false,
    allowedHosts: options.allowedHosts ?? ["127.0.0.1"],
    trigger: trigger(options.body ?? {}),
  });
  return {
    workspaceId: workspace.id,
    async credential(type, data) {
      return (await createCredential(db.prisma, { workspaceId: workspace.id, name: `cred ${n++}`, type, data })).id;
    },
    run(kind, config, options = {}) {
      const node = { id: options.nodeId ?? "node1", kind, name: "Node", config, position: { x: 0, y: 0 } };
      return executeNodeAttempt({ prisma: db.prisma, run: facts(options), node, steps: options.steps ?? {}, attempt: 1, item: options.item });
    },
    resume(kind, config, event, pauseOutput) {
      const node = { id: "node1", kind, name: "Node", config, position: { x: 0, y: 0 } };
      return resumeNodeAttempt({ prisma: db.prisma, run: facts({}), node, steps: {}, attempt: 1, event, pauseOutput });
    },
  };
}
