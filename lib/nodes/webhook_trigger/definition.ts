import { defineTrigger } from "../shared/trigger-definition";

export const webhookTriggerDefinition = defineTrigger({
  kind: "webhook_trigger",
  title: "Webhook",
  description: "Starts the flow on any HTTP request to its URL, with optional authentication and signature checks.",
  icon: "Webhook",
  summary: "When a webhook request arrives",
  sampleRequest: { json: { name: "Ada Lovelace", email: "ada@example.com", amount: 120 }, form: { name: "Ada Lovelace", email: "ada@example.com", amount: "120" } },
});
