import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { DEFAULT_RETRY_POLICY, retryOverrideSchema } from "../shared/retry-policy";
import { truncate } from "../shared/truncate";

export const slackMessageConfigSchema = z.object({
  credentialId: z.string().min(1, "Choose a Slack webhook credential").describe("Slack incoming-webhook credential"),
  text: z.string().min(1, "Message text is required").describe("Message (Slack mrkdwn; expressions allowed)"),
  username: z.string().default("").describe("Display name override (optional)"),
  iconEmoji: z.string().default("").describe("Icon emoji override, e.g. :rocket: (optional)"),
  retry: retryOverrideSchema,
});

export type SlackMessageConfig = z.output<typeof slackMessageConfigSchema>;

export const slackMessageDefinition = defineNode({
  kind: "slack_message",
  title: "Slack message",
  description: "Post a message to a Slack channel through an incoming webhook.",
  category: "messaging",
  icon: "MessageSquare",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: false,
  configSchema: slackMessageConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: DEFAULT_RETRY_POLICY,
  credentialFields: { credentialId: ["slack_webhook"] },
  summarize: (config) => `Slack: ${truncate(config.text)}`,
  destination: { credentialField: "credentialId" },
  outputExample: (config) => ({ status: 200, response: "ok", text: config.text ?? "" }),
});
