// Client-safe registry of node definitions: the one list of node kinds. A kind is its folder in
// lib/nodes/ plus one line here and one in runners.ts (the compiler asks for the runner).
import { approvalDefinition } from "./approval/definition";
import { callFlowDefinition } from "./call_flow/definition";
import { codeDefinition } from "./code/definition";
import { conditionDefinition } from "./condition/definition";
import { contentTriggerDefinition } from "./content_trigger/definition";
import { delayDefinition } from "./delay/definition";
import { discordMessageDefinition } from "./discord_message/definition";
import { filterDefinition } from "./filter/definition";
import { forEachDefinition } from "./for_each/definition";
import { formTriggerDefinition } from "./form_trigger/definition";
import { httpRequestDefinition } from "./http_request/definition";
import { manualTriggerDefinition } from "./manual_trigger/definition";
import type { FieldSyntax, NodeDefinition } from "./node-definition";
import { paymentTriggerDefinition } from "./payment_trigger/definition";
import { respondDefinition } from "./respond/definition";
import { scheduleTriggerDefinition } from "./schedule_trigger/definition";
import { sendEmailDefinition } from "./send_email/definition";
import { slackMessageDefinition } from "./slack_message/definition";
import { switchDefinition } from "./switch/definition";
import { teamsMessageDefinition } from "./teams_message/definition";
import { transformDefinition } from "./transform/definition";
import { waitForEventDefinition } from "./wait_for_event/definition";
import { webhookTriggerDefinition } from "./webhook_trigger/definition";

/** Keeps each definition's precise type and checks that every key is its definition's kind. */
function registryOf<Registry extends { [Kind in keyof Registry]: NodeDefinition<Kind & string> }>(registry: Registry): Registry {
  return registry;
}

// Object order is the palette's order within a category.
export const nodeDefinitions = registryOf({
  form_trigger: formTriggerDefinition,
  payment_trigger: paymentTriggerDefinition,
  content_trigger: contentTriggerDefinition,
  webhook_trigger: webhookTriggerDefinition,
  schedule_trigger: scheduleTriggerDefinition,
  manual_trigger: manualTriggerDefinition,
  http_request: httpRequestDefinition,
  slack_message: slackMessageDefinition,
  discord_message: discordMessageDefinition,
  teams_message: teamsMessageDefinition,
  send_email: sendEmailDefinition,
  transform: transformDefinition,
  code: codeDefinition,
  condition: conditionDefinition,
  switch: switchDefinition,
  filter: filterDefinition,
  for_each: forEachDefinition,
  call_flow: callFlowDefinition,
  delay: delayDefinition,
  wait_for_event: waitForEventDefinition,
  approval: approvalDefinition,
  respond: respondDefinition,
});

export type NodeKind = keyof typeof nodeDefinitions;

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
