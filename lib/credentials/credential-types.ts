// The kinds of credential a workspace can store, each with the zod schema of its secret data.
// Client-safe: the inspector builds the "new credential" form from these schemas.
import { z } from "zod";

const webhookUrl = (service: string, example: string) =>
  z.string().url(`Enter the full ${service} incoming-webhook URL`).describe(`${service} incoming-webhook URL, e.g. ${example}`);

export const credentialDataSchemas = {
  slack_webhook: z.object({ url: webhookUrl("Slack", "https://hooks.slack.com/services/T000/B000/XXXX") }),
  discord_webhook: z.object({ url: webhookUrl("Discord", "https://discord.com/api/webhooks/123/abc") }),
  teams_webhook: z.object({ url: webhookUrl("Microsoft Teams", "https://example.webhook.office.com/webhookb2/…") }),
  smtp: z.object({
    host: z.string().min(1, "SMTP host is required").describe("SMTP server host, e.g. smtp.example.com"),
    port: z.coerce.number().int().min(1).max(65535).default(587).describe("SMTP port (587 STARTTLS, 465 TLS, 25 plain)"),
    secure: z.boolean().default(false).describe("Connect with TLS from the start (port 465)"),
    user: z.string().default("").describe("SMTP user name (leave empty for no authentication)"),
    password: z.string().default("").describe("SMTP password"),
    from: z.string().min(3, "A sender address is required").describe('Sender, e.g. "Acme <no-reply@acme.com>"'),
  }),
  http_header: z.object({
    name: z.string().min(1).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Not a valid HTTP header name").describe("Header name, e.g. X-API-Key"),
    value: z.string().min(1).describe("Header value (secret)"),
  }),
  bearer_token: z.object({ token: z.string().min(1).describe("Token sent as Authorization: Bearer <token>") }),
  basic_auth: z.object({
    username: z.string().min(1).describe("User name"),
    password: z.string().describe("Password"),
  }),
  /** Secret for signing outbound requests with Standard Webhooks (whsec_… base64). */
  webhook_signing: z.object({ secret: z.string().min(8).describe("Standard Webhooks signing secret, e.g. whsec_…") }),
  /** A plain HTTP endpoint, used for failure alerts. */
  http_webhook: z.object({
    url: z.string().url().describe("URL that receives a JSON POST"),
    headers: z.record(z.string(), z.string()).default({}).describe("Extra headers sent with each request"),
  }),
} as const;

export type CredentialType = keyof typeof credentialDataSchemas;
export type CredentialData<T extends CredentialType> = z.infer<(typeof credentialDataSchemas)[T]>;

export const CREDENTIAL_TYPES = Object.keys(credentialDataSchemas) as CredentialType[];

export const credentialTypeLabels: Record<CredentialType, string> = {
  slack_webhook: "Slack incoming webhook",
  discord_webhook: "Discord webhook",
  teams_webhook: "Microsoft Teams incoming webhook",
  smtp: "SMTP server",
  http_header: "HTTP header (API key)",
  bearer_token: "Bearer token",
  basic_auth: "HTTP basic auth",
  webhook_signing: "Standard Webhooks signing secret",
  http_webhook: "HTTP endpoint",
};

export function isCredentialType(value: string): value is CredentialType {
  return Object.prototype.hasOwnProperty.call(credentialDataSchemas, value);
}
