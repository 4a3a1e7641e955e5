import { defineTrigger } from "../shared/trigger-definition";

export const webhookTriggerDefinition = defineTrigger(
  "webhook_trigger",
  "Webhook",
  "Starts the flow on any HTTP request to its URL, with optional authentication and signature checks.",
  "Webhook",
  "When a webhook request arrives",
);
