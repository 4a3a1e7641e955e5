// Server-only: the respond node's output is the response for synchronous endpoints
// (read with getSyncResponse in lib/runs/get-sync-response.ts).
import type { NodeRunner } from "../node-runner";
import type { KeyValueList } from "../shared/key-value";
import type { RespondConfig } from "./definition";

export const respondRunner: NodeRunner<RespondConfig> = {
  async run(ctx) {
    const headers: Record<string, string> = { "content-type": ctx.config.contentType };
    for (const { name, value } of ctx.config.headers as KeyValueList) headers[name.toLowerCase()] = value === undefined || value === null ? "" : String(value);
    return { output: { status: ctx.config.status, headers, body: ctx.config.body ?? null } };
  },
};
