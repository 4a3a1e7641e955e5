import { defineTrigger } from "../shared/trigger-definition";

export const contentTriggerDefinition = defineTrigger(
  "content_trigger",
  "Content published",
  "Starts the flow when a CMS notifies that content was published or changed.",
  "FileText",
  "When content is published",
);
