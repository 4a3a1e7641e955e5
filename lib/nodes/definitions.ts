// Client-safe registry of node definitions. A NodeKind missing here does not compile.
import { approvalDefinition } from "./approval/definition";
import { conditionDefinition } from "./condition/definition";
import { contentTriggerDefinition } from "./content_trigger/definition";
import { delayDefinition } from "./delay/definition";
import { discordMessageDefinition } from "./discord_message/definition";
import { filterDefinition } from "./filter/definition";
import { formTriggerDefinition } from "./form_trigger/definition";
import { httpRequestDefinition } from "./http_request/definition";
import type { FieldSyntax, NodeDefinition } from "./node-definition";
import type { NodeKind } from "./node-kinds";
import { paymentTriggerDefinition } from "./payment_trigger/definition";
import { respondDefinition } from "./respond/definition";
import { sendEmailDefinition } from "./send_email/definition";
import { slackMessageDefinition } from "./slack_message/definition";
import { switchDefinition } from "./switch/definition";
import { teamsMessageDefinition } from "./teams_message/definition";
import { transformDefinition } from "./transform/definition";
import { waitForEventDefinition } from "./wait_for_event/definition";
import { webhookTriggerDefinition } from "./webhook_trigger/definition";

// Each definition keeps its precise schema type; the registry erases it to the common shape.
export const nodeDefinitions: Record<NodeKind, NodeDefinition> = {
  form_trigger: formTriggerDefinition as unknown as NodeDefinition,
  payment_trigger: paymentTriggerDefinition as unknown as NodeDefinition,
  content_trigger: contentTriggerDefinition as unknown as NodeDefinition,
  webhook_trigger: webhookTriggerDefinition as unknown as NodeDefinition,
  http_request: httpRequestDefinition as unknown as NodeDefinition,
  slack_message: slackMessageDefinition as unknown as NodeDefinition,
  discord_message: discordMessageDefinition as unknown as NodeDefinition,
  teams_message: teamsMessageDefinition as unknown as NodeDefinition,
  send_email: sendEmailDefinition as unknown as NodeDefinition,
  transform: transformDefinition as unknown as NodeDefinition,
  condition: conditionDefinition as unknown as NodeDefinition,
  switch: switchDefinition as unknown as NodeDefinition,
  filter: filterDefinition as unknown as NodeDefinition,
  delay: delayDefinition as unknown as NodeDefinition,
  wait_for_event: waitForEventDefinition as unknown as NodeDefinition,
  approval: approvalDefinition as unknown as NodeDefinition,
  respond: respondDefinition as unknown as NodeDefinition,
};

export function getNodeDefinition(kind: string): NodeDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(nodeDefinitions, kind) ? nodeDefinitions[kind as NodeKind] : undefined;
}

/** Output ports of a node; null when its config does not parse (ports then cannot be known). */
export function outputPortsOf(kind: string, config: unknown): string[] | null {
  const definition = getNodeDefinition(kind);
  if (!definition) return null;
  const parsed = definition.configSchema.safeParse(config ?? {});
  return parsed.success ? definition.outputPorts(parsed.data) : null;
}

/** One-line canvas summary; falls back to the description while the config is incomplete. */
export function summarizeNode(kind: string, config: unknown): string {
  const definition = getNodeDefinition(kind);
  if (!definition) return `Unknown node kind "${kind}"`;
  const parsed = definition.configSchema.safeParse(config ?? {});
  if (!parsed.success) return "Needs configuration";
  try {
    return definition.summarize(parsed.data);
  } catch {
    return definition.title;
  }
}

/** How a config field of a kind is read: "fields.0.path", "fields[0].path" and "fields.path" name the same field. */
export function fieldSyntaxOf(kind: string, field: string): FieldSyntax {
  const unindexed = field.replace(/\[\d+\]/g, "").replace(/\.\d+(?=\.|$)/g, "");
  return getNodeDefinition(kind)?.fieldSyntax?.[unindexed] ?? "template";
}

/** A step's output as its kind describes it before any run (undefined when its shape is not known). */
export function outputExampleOf(kind: string, config: unknown): unknown {
  const definition = getNodeDefinition(kind);
  if (!definition?.outputExample) return undefined;
  const parsed = definition.configSchema.safeParse(config ?? {});
  try {
    return definition.outputExample((parsed.success ? parsed.data : (config ?? {})) as never);
  } catch {
    return undefined;
  }
}
