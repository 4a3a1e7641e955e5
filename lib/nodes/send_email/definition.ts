import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { DEFAULT_RETRY_POLICY, retryOverrideSchema } from "../shared/retry-policy";
import { truncate } from "../shared/truncate";

export const sendEmailConfigSchema = z.object({
  credentialId: z.string().min(1, "Choose an SMTP credential").describe("SMTP server credential"),
  to: z.string().min(1, "Add at least one recipient").describe("To (comma-separated addresses; expressions allowed)"),
  cc: z.string().default("").describe("Cc (optional)"),
  bcc: z.string().default("").describe("Bcc (optional)"),
  replyTo: z.string().default("").describe("Reply-To (optional)"),
  subject: z.string().min(1, "Subject is required").describe("Subject"),
  text: z.string().default("").describe("Plain-text body"),
  html: z.string().default("").describe("HTML body (optional)"),
  retry: retryOverrideSchema,
});

export type SendEmailConfig = z.output<typeof sendEmailConfigSchema>;

export const sendEmailDefinition = defineNode({
  kind: "send_email",
  title: "Send email",
  description: "Send an email over SMTP (plain text and/or HTML).",
  category: "messaging",
  icon: "Mail",
  isTrigger: false,
  hasEffects: true,
  pure: false,
  pauses: false,
  configSchema: sendEmailConfigSchema.refine((config) => config.text.trim() !== "" || config.html.trim() !== "", {
    message: "Write a plain-text or an HTML body",
    path: ["text"],
  }),
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: DEFAULT_RETRY_POLICY,
  credentialFields: { credentialId: ["smtp"] },
  summarize: (config) => `Email ${truncate(config.to, 30)}: ${truncate(config.subject, 40)}`,
  destination: { credentialField: "credentialId" },
  outputExample: () => ({ messageId: "<message-id@example.com>", accepted: ["someone@example.com"], rejected: [], response: "250 OK" }),
});
