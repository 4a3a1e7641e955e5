// The client-safe description of a node kind: what the palette, canvas and inspector need and
// what the validator checks. The server-only runner lives beside it in run.ts.
import type { z } from "zod";
import type { CredentialType } from "@/lib/credentials/credential-types";
import type { NodeKind } from "./node-kinds";
import type { RetryPolicy } from "./shared/retry-policy";

export type NodeCategory = "triggers" | "http" | "messaging" | "data" | "logic" | "timing" | "response";

export const NODE_CATEGORY_LABELS: Record<NodeCategory, string> = {
  triggers: "Triggers",
  http: "HTTP",
  messaging: "Messaging",
  data: "Data",
  logic: "Logic",
  timing: "Timing & approvals",
  response: "Response",
};

export interface NodeDefinition<Schema extends z.ZodType = z.ZodType> {
  kind: NodeKind;
  title: string;
  description: string;
  category: NodeCategory;
  /** lucide-react icon name, e.g. "Globe". */
  icon: string;
  isTrigger: boolean;
  configSchema: Schema;
  /** Output ports for a (parsed) config: ["out"], ["true","false"], switch case names… */
  outputPorts(config: z.output<Schema>): string[];
  /** Human labels for ports where the id is not self-explanatory. */
  portLabels?: Record<string, string>;
  defaultRetry: RetryPolicy;
  /** Config fields (top-level) that hold credential ids, and which credential types fit. */
  credentialFields?: Record<string, CredentialType[]>;
  /**
   * Config fields (as "rules[0].left") whose value may be missing on purpose, such as the left side
   * of an "exists" rule: no missing-path warnings there, at publish or at run time.
   */
  emptyAllowedFields?(config: z.output<Schema>): string[];
  /** One line for the canvas. Must not throw on a valid config. */
  summarize(config: z.output<Schema>): string;
  /**
   * String fields not read as text with `{{ … }}` expressions (the default): "literal" ones are
   * taken as written (names, notes), "jsonata" ones are one JSONata expression without braces.
   * Keys are config paths with array items unindexed ("fields.path").
   */
  fieldSyntax?: Record<string, Exclude<FieldSyntax, "template">>;
  /** Where the step connects to, so the inspector can say ahead when the workspace may not reach it: a URL field, or a credential field whose data names the host. */
  destination?: { urlField: string } | { credentialField: string };
  /** What the step outputs, with example values: the variable picker shows it before a test run. May get an incomplete config. */
  outputExample?(config: Partial<z.output<Schema>>): unknown;
}

/** How a string config field is read at run time. */
export type FieldSyntax = "template" | "literal" | "jsonata";

/** Identity helper that keeps the schema's type for outputPorts/summarize. */
export function defineNode<Schema extends z.ZodType>(definition: NodeDefinition<Schema>): NodeDefinition<Schema> {
  return definition;
}

export const SINGLE_OUTPUT = (): string[] => ["out"];
