import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { DEFAULT_RETRY_POLICY, retryOverrideSchema } from "../shared/retry-policy";
import { truncate } from "../shared/truncate";

export const teamsMessageConfigSchema = z.object({
  credentialId: z.string().min(1, "Choose a Microsoft Teams webhook credential").describe("Microsoft Teams incoming-webhook credential"),
  title: z.string().default("").describe("Card title (optional)"),
  text: z.string().min(1, "Message text is required").describe("Message (markdown; expressions allowed)"),
  retry: retryOverrideSchema,
});

export type TeamsMessageConfig = z.output<typeof teamsMessageConfigSchema>;

export const teamsMessageDefinition = defineNode({
  kind: "teams_message",
  title: "Microsoft Teams message",
  description: "Post a card to a Microsoft Teams channel through an incoming webhook.",
  category: "messaging",
  icon: "Users",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: false,
  configSchema: teamsMessageConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: DEFAULT_RETRY_POLICY,
  credentialFields: { credentialId: ["teams_webhook"] },
  summarize: (config) => `Teams: ${truncate(config.title || config.text)}`,
  destination: { credentialField: "credentialId" },
  outputExample: (config) => ({ status: 200, response: "1", title: config.title ?? "", text: config.text ?? "" }),
});
