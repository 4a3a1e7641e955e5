// Flow export/import as a portable JSON document. Client-safe (the import dialog parses files
// with the same schema the server trusts). Credentials are referenced by id and never exported.
import { z } from "zod";
import { flowGraphSchema, type FlowGraph } from "./graph";

export const FLOW_EXPORT_FORMAT = "switchyard.flow";

export const flowExportSchema = z.object({
  format: z.literal(FLOW_EXPORT_FORMAT, { error: `Not a Switchyard flow export (expected "format": "${FLOW_EXPORT_FORMAT}")` }),
  version: z.literal(1, { error: "Unsupported export version (this Switchyard reads version 1)" }),
  name: z.string().trim().min(1, "The export has no flow name").max(120),
  description: z.string().max(2000).default(""),
  graph: flowGraphSchema,
});

export type FlowExport = z.infer<typeof flowExportSchema>;

export function toFlowExport(flow: { name: string; description: string; graph: FlowGraph }): FlowExport {
  return { format: FLOW_EXPORT_FORMAT, version: 1, name: flow.name, description: flow.description, graph: flow.graph };
}

/** Parses an export file's text; throws an Error whose message says what is wrong and where. */
export function parseFlowExport(text: string): FlowExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`The file is not valid JSON: ${(error as Error).message}`);
  }
  const result = flowExportSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message);
  }
  return result.data;
}

export function exportFileName(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "flow"}.flow.json`;
}
