import { defineTrigger } from "../shared/trigger-definition";

export const contentTriggerDefinition = defineTrigger({
  kind: "content_trigger",
  title: "Content published",
  description: "Starts the flow when a CMS notifies that content was published or changed.",
  icon: "FileText",
  summary: "When content is published",
  sampleRequest: { json: { event: "entry.publish", title: "Hello world", url: "https://example.com/blog/hello" } },
});
