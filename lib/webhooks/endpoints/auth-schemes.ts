import { z } from "zod";

// Inbound authentication schemes and their non-secret settings. Client-safe: the trigger inspector
// validates its form with these same schemas, the API validates the request with them.

export const AUTH_SCHEMES = [
  "none",
  "header_token",
  "bearer",
  "basic",
  "hmac",
  "standard_webhooks",
  "stripe",
  "github",
  "shopify",
  "typeform",
  "slack",
] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

/** Default tolerance for timestamped schemes (Standard Webhooks, Stripe, Slack): ±5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const headerName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "Header names may contain only token characters")
  .transform((h) => h.toLowerCase());

/** Non-secret settings of each scheme (Endpoint.authConfig). */
export const authConfigSchemas = {
  none: z.object({}).strict(),
  header_token: z.object({ headerName: headerName.default("x-webhook-token") }).strict(),
  bearer: z.object({}).strict(),
  basic: z.object({ username: z.string().min(1).max(200).default("webhook") }).strict(),
  hmac: z
    .object({
      headerName: headerName.default("x-signature"),
      encoding: z.enum(["hex", "base64"]).default("hex"),
      /** Text before the signature in the header, e.g. "sha256=". */
      prefix: z.string().max(50).default(""),
    })
    .strict(),
  standard_webhooks: z.object({}).strict(),
  stripe: z.object({ toleranceSeconds: z.number().int().min(1).max(3600).default(DEFAULT_TOLERANCE_SECONDS) }).strict(),
  github: z.object({}).strict(),
  shopify: z.object({}).strict(),
  typeform: z.object({}).strict(),
  slack: z.object({ toleranceSeconds: z.number().int().min(1).max(3600).default(DEFAULT_TOLERANCE_SECONDS) }).strict(),
} satisfies Record<AuthScheme, z.ZodType>;

export type AuthConfig<S extends AuthScheme = AuthScheme> = z.output<(typeof authConfigSchemas)[S]>;

/** Schemes that need a shared secret (all but "none"). */
export function schemeNeedsSecret(scheme: AuthScheme): boolean {
  return scheme !== "none";
}

export function isAuthScheme(value: string): value is AuthScheme {
  return (AUTH_SCHEMES as readonly string[]).includes(value);
}

/** Parses stored or submitted scheme settings, filling defaults; throws a ZodError on bad input. */
export function parseAuthConfig(scheme: AuthScheme, value: unknown): AuthConfig {
  return authConfigSchemas[scheme].parse(value ?? {}) as AuthConfig;
}

/** How each scheme reads in the inspector, and where its secret comes from. */
export const AUTH_SCHEME_INFO: Record<AuthScheme, { label: string; short: string; providerIssued: boolean; secretHelp: string }> = {
  none: { label: "None (secret URL)", short: "No signature", providerIssued: false, secretHelp: "" },
  header_token: { label: "Token in a header", short: "Header token", providerIssued: false, secretHelp: "The sender puts this token in the header you name." },
  bearer: { label: "Bearer token", short: "Bearer token", providerIssued: false, secretHelp: "The sender sends Authorization: Bearer <token>." },
  basic: { label: "Basic auth", short: "Basic auth", providerIssued: false, secretHelp: "The password the sender uses with the user name above." },
  hmac: { label: "HMAC signature", short: "HMAC signature", providerIssued: false, secretHelp: "The key both sides use to sign the raw body with HMAC-SHA256." },
  standard_webhooks: { label: "Standard Webhooks / Svix", short: "Standard Webhooks signature", providerIssued: true, secretHelp: 'Svix, Clerk, Resend and other senders show it as "whsec_…"; or generate one and give it to the sender.' },
  stripe: { label: "Stripe signature", short: "Stripe signature", providerIssued: true, secretHelp: 'Stripe Dashboard → Developers → Webhooks → your endpoint → Signing secret ("whsec_…").' },
  github: { label: "GitHub signature", short: "GitHub signature", providerIssued: false, secretHelp: "Generate one and paste it into the GitHub webhook's Secret field, or paste the one you set there." },
  shopify: { label: "Shopify signature", short: "Shopify signature", providerIssued: true, secretHelp: "Shopify admin → Settings → Notifications → Webhooks signing key, or your app's client secret." },
  typeform: { label: "Typeform signature", short: "Typeform signature", providerIssued: false, secretHelp: "The secret set on the Typeform webhook (Connect → Webhooks → Edit → Secret)." },
  slack: { label: "Slack signing secret", short: "Slack signature", providerIssued: true, secretHelp: "Slack app settings → Basic Information → App Credentials → Signing Secret." },
};

/** Schemes whose settings include a timestamp tolerance. */
export function schemeHasTolerance(scheme: AuthScheme): boolean {
  return scheme === "stripe" || scheme === "slack";
}

/**
 * A secret a user pastes for a scheme: trimmed (pastes often carry a line break), no inner
 * whitespace, and the provider's format where it has one, so a wrong paste fails here and not
 * on the first real request.
 */
export function secretValueSchema(scheme: AuthScheme) {
  const base = z
    .string()
    .trim()
    .min(8, "Secrets are at least 8 characters")
    .max(500, "Secrets are at most 500 characters")
    .regex(/^\S+$/, "A secret has no spaces or line breaks");
  if (scheme === "stripe") return base.refine((s) => s.startsWith("whsec_"), 'Stripe signing secrets start with "whsec_"');
  if (scheme === "standard_webhooks") {
    return base.refine(
      (s) => /^(whsec_)?[A-Za-z0-9+/]{16,}={0,2}$/.test(s),
      'Standard Webhooks secrets are "whsec_" followed by base64 (at least 16 characters)',
    );
  }
  return base;
}
