// The kinds of credential a workspace can store: label, zod schema of the data and its secret fields.
// Client-safe: the inspector builds the "new credential" form from these schemas.
import { z } from "zod";

const webhookUrl = (service: string, example: string) =>
  z.string().url(`Enter the full ${service} incoming-webhook URL`).describe(`${service} incoming-webhook URL, e.g. ${example}`);

/** One credential type: its label, the schema of its data and which data fields are secret (scrubbed from stored step records and errors). */
function defineCredentialType<Schema extends z.ZodObject>(type: { label: string; schema: Schema; secretFields: (keyof z.output<Schema> & string)[] }) {
  return type;
}

export const credentialTypes = {
  slack_webhook: defineCredentialType({
    label: "Slack incoming webhook",
    schema: z.object({ url: webhookUrl("Slack", "https://hooks.slack.com/services/T000/B000/XXXX") }),
    secretFields: ["url"],
  }),
  discord_webhook: defineCredentialType({
    label: "Discord webhook",
    schema: z.object({ url: webhookUrl("Discord", "https://discord.com/api/webhooks/123/abc") }),
    secretFields: ["url"],
  }),
  teams_webhook: defineCredentialType({
    label: "Microsoft Teams incoming webhook",
    schema: z.object({ url: webhookUrl("Microsoft Teams", "https://example.webhook.office.com/webhookb2/…") }),
    secretFields: ["url"],
  }),
  smtp: defineCredentialType({
    label: "SMTP server",
    schema: z.object({
      host: z.string().min(1, "SMTP host is required").describe("SMTP server host, e.g. smtp.example.com"),
      port: z.coerce.number().int().min(1).max(65535).default(587).describe("SMTP port (587 STARTTLS, 465 TLS, 25 plain)"),
      secure: z.boolean().default(false).describe("Connect with TLS from the start (port 465)"),
      user: z.string().default("").describe("SMTP user name (leave empty for no authentication)"),
      password: z.string().default("").describe("SMTP password"),
      from: z.string().min(3, "A sender address is required").describe('Sender, e.g. "Acme <no-reply@acme.com>"'),
    }),
    secretFields: ["password"],
  }),
  http_header: defineCredentialType({
    label: "HTTP header (API key)",
    schema: z.object({
      name: z.string().min(1).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Not a valid HTTP header name").describe("Header name, e.g. X-API-Key"),
      value: z.string().min(1).describe("Header value (secret)"),
    }),
    secretFields: ["value"],
  }),
  bearer_token: defineCredentialType({
    label: "Bearer token",
    schema: z.object({ token: z.string().min(1).describe("Token sent as Authorization: Bearer <token>") }),
    secretFields: ["token"],
  }),
  basic_auth: defineCredentialType({
    label: "HTTP basic auth",
    schema: z.object({
      username: z.string().min(1).describe("User name"),
      password: z.string().describe("Password"),
    }),
    secretFields: ["password"],
  }),
  /** Secret for signing outbound requests with Standard Webhooks (whsec_… base64). */
  webhook_signing: defineCredentialType({
    label: "Standard Webhooks signing secret",
    schema: z.object({ secret: z.string().min(8).describe("Standard Webhooks signing secret, e.g. whsec_…") }),
    secretFields: ["secret"],
  }),
  /** A plain HTTP endpoint, used for failure alerts. */
  http_webhook: defineCredentialType({
    label: "HTTP endpoint",
    schema: z.object({
      url: z.string().url().describe("URL that receives a JSON POST"),
      headers: z.record(z.string(), z.string()).default({}).describe("Extra headers sent with each request"),
    }),
    secretFields: ["url", "headers"],
  }),
};

export type CredentialType = keyof typeof credentialTypes;
export type CredentialData<T extends CredentialType> = z.infer<(typeof credentialTypes)[T]["schema"]>;

export const CREDENTIAL_TYPES = Object.keys(credentialTypes) as CredentialType[];

export function isCredentialType(value: string): value is CredentialType {
  return Object.prototype.hasOwnProperty.call(credentialTypes, value);
}
