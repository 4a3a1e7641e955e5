import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { DEFAULT_RETRY_POLICY, retryOverrideSchema } from "../shared/retry-policy";
import { truncate } from "../shared/truncate";

export const discordMessageConfigSchema = z.object({
  credentialId: z.string().min(1, "Choose a Discord webhook credential").describe("Discord webhook credential"),
  content: z.string().min(1, "Message text is required").max(4000).describe("Message (Discord markdown, up to 2000 characters after expressions)"),
  username: z.string().default("").describe("Display name override (optional)"),
  retry: retryOverrideSchema,
});

export type DiscordMessageConfig = z.output<typeof discordMessageConfigSchema>;

export const discordMessageDefinition = defineNode({
  kind: "discord_message",
  title: "Discord message",
  description: "Post a message to a Discord channel through a channel webhook.",
  category: "messaging",
  icon: "MessageCircle",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: false,
  configSchema: discordMessageConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: DEFAULT_RETRY_POLICY,
  credentialFields: { credentialId: ["discord_webhook"] },
  summarize: (config) => `Discord: ${truncate(config.content)}`,
  destination: { credentialField: "credentialId" },
  outputExample: (config) => ({ status: 200, messageId: "1234567890", content: config.content ?? "" }),
});
