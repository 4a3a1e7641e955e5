// Every node kind Switchyard knows. Client-safe. Adding a kind here makes the compiler demand
// its definition (definitions.ts) and its runner (runners.ts).

export const TRIGGER_KINDS = ["form_trigger", "payment_trigger", "content_trigger", "webhook_trigger"] as const;

export const ACTION_KINDS = [
  "http_request",
  "slack_message",
  "discord_message",
  "teams_message",
  "send_email",
  "transform",
  "condition",
  "switch",
  "filter",
  "delay",
  "wait_for_event",
  "approval",
  "respond",
] as const;

export const NODE_KINDS = [...TRIGGER_KINDS, ...ACTION_KINDS] as const;

export type TriggerKind = (typeof TRIGGER_KINDS)[number];
export type ActionKind = (typeof ACTION_KINDS)[number];
export type NodeKind = (typeof NODE_KINDS)[number];

export function isNodeKind(value: string): value is NodeKind {
  return (NODE_KINDS as readonly string[]).includes(value);
}

export function isTriggerKind(value: string): value is TriggerKind {
  return (TRIGGER_KINDS as readonly string[]).includes(value);
}
