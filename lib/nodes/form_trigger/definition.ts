import { defineTrigger } from "../shared/trigger-definition";

export const formTriggerDefinition = defineTrigger({
  kind: "form_trigger",
  title: "Form submission",
  description: "Starts the flow when a website form posts to its URL (urlencoded, multipart or JSON; honeypot and redirect supported).",
  icon: "ClipboardList",
  summary: "When a form is submitted",
  sampleRequest: { json: { name: "Ada Lovelace", email: "ada@example.com", amount: 120 }, form: { name: "Ada Lovelace", email: "ada@example.com", amount: "120" } },
});
