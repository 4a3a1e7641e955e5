import { defineTrigger } from "../shared/trigger-definition";

export const formTriggerDefinition = defineTrigger(
  "form_trigger",
  "Form submission",
  "Starts the flow when a website form posts to its URL (urlencoded, multipart or JSON; honeypot and redirect supported).",
  "ClipboardList",
  "When a form is submitted",
);
