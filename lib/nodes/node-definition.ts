// The client-safe description of a node kind: what the palette, canvas and inspector need and
// what the validator checks. The server-only runner lives beside it in run.ts.
import type { z } from "zod";
import type { CredentialType } from "@/lib/credentials/credential-types";
import type * as nodeIcons from "./node-icons";
import type { RetryPolicy } from "./shared/retry-policy";

/** A lucide icon listed in node-icons.ts. */
export type NodeIconName = keyof typeof nodeIcons;

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

export interface NodeDefinition<Kind extends string = string, Schema extends z.ZodType = z.ZodType> {
  kind: Kind;
  title: string;
  description: string;
  category: NodeCategory;
  icon: NodeIconName;
  isTrigger: boolean;
  /**
   * Whether running it acts outside the run (a request, a message, a response, a wait): a run that
   * filters stopped before any node with effects succeeded ends "skipped" rather than "succeeded".
   */
  hasEffects: boolean;
  /**
   * Whether it only computes from its config and inputs (no effects, no pause, no clock of its
   * own): executing it again gives the same output, so the engine may run it inline between
   * durable steps and re-execute it on replay (see inlineNodes in lib/runs/execute-run.ts).
   */
  pure: boolean;
  /** Whether it can pause the run (sleep or wait for an event): such a node takes three durable steps instead of one. */
  pauses: boolean;
  /** Activating no output means "this run was not meant to happen" (a filter that said no): see hasEffects. */
  stopSkipsRun?: boolean;
  configSchema: Schema;
  /** Output ports for a (parsed) config: ["out"], ["true","false"], switch case names… */
  outputPorts(config: z.output<Schema>): string[];
  /** Output ports while the config does not parse yet (the canvas still needs handles); default ["out"]. */
  fallbackPorts?(config: Record<string, unknown>): string[];
  /**
   * Which ports a finished step activated, read back from its stored output, so a "retry failed"
   * replay can reuse it without running it again (null: run it again). Default: all its output ports.
   * Needed by every kind that may activate fewer ports than it has.
   */
  portsFromOutput?(output: Record<string, unknown>): string[] | null;
  /**
   * A loop (for_each): the nodes after `itemPort` run once per item of the node's output (an array),
   * then the run continues from `donePort` with every item's result (lib/runs/execute-loop.ts).
   */
  loop?: { itemPort: string; donePort: string };
  /** Human labels for ports where the id is not self-explanatory. */
  portLabels?: Record<string, string>;
  defaultRetry: RetryPolicy;
  /** Config fields (top-level) that hold credential ids, and which credential types fit. */
  credentialFields?: Record<string, CredentialType[]>;
  /**
   * Config fields (top-level) that name another flow of the workspace to run: the inspector offers
   * published flows, and publishing refuses flows that call each other in a cycle.
   */
  flowFields?: string[];
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
  /** Top-level "jsonata" fields that the config (not yet parsed) currently evaluates, so validation checks their references too. */
  activeJsonataFields?(config: Record<string, unknown>): string[];
  /**
   * Triggers: what starts the flow — a request to its endpoint ("webhook": the node gets a URL and
   * endpoint settings), its schedule ("schedule": see `schedule`) or a person ("manual": the Run
   * button and POST /api/v1/flows/:id/runs).
   */
  startedBy?: "webhook" | "schedule" | "manual";
  /** Schedule triggers: the schedule a config stands for (five cron fields and an IANA time zone). */
  schedule?(config: z.output<Schema>): { cron: string; timezone: string };
  /** What the inspector shows under the form for this config (a schedule's next times); null for nothing. */
  preview?(config: z.output<Schema>): { heading: string; lines: string[] } | null;
  /** Triggers called over HTTP: the request body the inspector's curl example sends (form: urlencoded, for form endpoints). */
  sampleRequest?: { json: Record<string, unknown>; form?: Record<string, string> };
  /** Where the step connects to, so the inspector can say ahead when the workspace may not reach it: a URL field, or a credential field whose data names the host. */
  destination?: { urlField: string } | { credentialField: string };
  /** What the step outputs, with example values: the variable picker shows it before a test run. May get an incomplete config. */
  outputExample?(config: Partial<z.output<Schema>>): unknown;
}

/** How a string config field is read at run time ("javascript": taken as written and run by its kind's runner; the inspector edits it in a code editor). */
export type FieldSyntax = "template" | "literal" | "jsonata" | "javascript";

/** Identity helper that keeps the kind's literal and the schema's type for outputPorts/summarize. */
export function defineNode<Kind extends string, Schema extends z.ZodType>(definition: NodeDefinition<Kind, Schema>): NodeDefinition<Kind, Schema> {
  return definition;
}

export const SINGLE_OUTPUT = (): string[] => ["out"];
