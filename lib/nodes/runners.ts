// Server-only registry of node runners. A kind in definitions.ts without a runner here does not compile.
import { approvalRunner } from "./approval/run";
import { callFlowRunner } from "./call_flow/run";
import { codeRunner } from "./code/run";
import { conditionRunner } from "./condition/run";
import { contentTriggerRunner } from "./content_trigger/run";
import { delayRunner } from "./delay/run";
import { discordMessageRunner } from "./discord_message/run";
import { filterRunner } from "./filter/run";
import { forEachRunner } from "./for_each/run";
import { formTriggerRunner } from "./form_trigger/run";
import { httpRequestRunner } from "./http_request/run";
import { manualTriggerRunner } from "./manual_trigger/run";
import type { NodeKind } from "./definitions";
import type { NodeRunner } from "./node-runner";
import { paymentTriggerRunner } from "./payment_trigger/run";
import { respondRunner } from "./respond/run";
import { scheduleTriggerRunner } from "./schedule_trigger/run";
import { sendEmailRunner } from "./send_email/run";
import { slackMessageRunner } from "./slack_message/run";
import { switchRunner } from "./switch/run";
import { teamsMessageRunner } from "./teams_message/run";
import { transformRunner } from "./transform/run";
import { waitForEventRunner } from "./wait_for_event/run";
import { webhookTriggerRunner } from "./webhook_trigger/run";

// Runners are typed by their own config; the interpreter hands them the config their schema parsed.
export const nodeRunners: Record<NodeKind, NodeRunner<never>> = {
  form_trigger: formTriggerRunner,
  payment_trigger: paymentTriggerRunner,
  content_trigger: contentTriggerRunner,
  webhook_trigger: webhookTriggerRunner,
  schedule_trigger: scheduleTriggerRunner,
  manual_trigger: manualTriggerRunner,
  http_request: httpRequestRunner,
  slack_message: slackMessageRunner,
  discord_message: discordMessageRunner,
  teams_message: teamsMessageRunner,
  send_email: sendEmailRunner,
  transform: transformRunner,
  code: codeRunner,
  condition: conditionRunner,
  switch: switchRunner,
  filter: filterRunner,
  for_each: forEachRunner,
  call_flow: callFlowRunner,
  delay: delayRunner,
  wait_for_event: waitForEventRunner,
  approval: approvalRunner,
  respond: respondRunner,
};
