import { z } from "zod";
import { AUTH_SCHEME_INFO, AUTH_SCHEMES, authConfigSchemas, secretValueSchema, type AuthScheme } from "./auth-schemes";
import { cidrEntry, dedupeSchema, endpointSettingsSchema } from "./endpoint-settings";
import { MAX_BODY_BYTES_LIMIT } from "./limits";

// What the endpoint API accepts and answers. Client-safe: the trigger inspector validates its form
// with updateEndpointInput and reads responses with endpointViewSchema.

export const rotateSecretInput = z
  .object({
    /** Keep accepting the old secret this long, so senders can switch over. 0 = revoke at once. */
    graceHours: z.number().min(0).max(24 * 30, "The grace period is at most 30 days").default(24),
    /** A secret issued by the sender (Stripe's whsec_…, Shopify's app secret); omitted = generate one. */
    secret: z.string().trim().min(8, "Secrets are at least 8 characters").max(500).optional(),
  })
  .strict();

export const updateEndpointInput = z
  .object({
    authScheme: z.enum(AUTH_SCHEMES).optional(),
    authConfig: z.record(z.string(), z.unknown()).optional(),
    /** Replace the signing secret in the same save: a pasted one (value) or, without value, a generated one. */
    newSecret: rotateSecretInput.optional(),
    maxBodyBytes: z
      .number({ error: "Enter the largest body size as a number" })
      .int()
      .min(1024, "The body size limit is at least 1 KB")
      .max(MAX_BODY_BYTES_LIMIT, `The body size limit is at most ${MAX_BODY_BYTES_LIMIT / 1024 / 1024} MB`)
      .optional(),
    rateLimitPerMinute: z
      .number({ error: "Enter requests per minute as a whole number" })
      .int("Enter requests per minute as a whole number")
      .min(1, "Allow at least 1 request per minute, or leave empty for no limit")
      .max(1_000_000)
      .nullable()
      .optional(),
    ipAllowlist: z.array(cidrEntry).max(100, "At most 100 IP ranges").optional(),
    dedupe: dedupeSchema.nullable().optional(),
    responseMode: z.enum(["async", "sync"]).optional(),
    syncTimeoutMs: z
      .number({ error: "Enter the timeout in seconds" })
      .int()
      .min(100, "The timeout is at least 0.1 s")
      .max(30_000, "The timeout is at most 30 s (senders give up around then)")
      .optional(),
    /** Merged into the current settings (give a key to change it), then validated as a whole. */
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    // Scheme-specific parts are checked here when the scheme is part of the input (the form always
    // sends it); the server checks them again against the endpoint's current scheme otherwise.
    if (input.authScheme && input.authConfig) {
      addIssues(ctx, ["authConfig"], authConfigSchemas[input.authScheme].safeParse(input.authConfig));
    }
    if (input.authScheme && input.newSecret?.secret !== undefined) {
      addIssues(ctx, ["newSecret", "secret"], secretValueSchema(input.authScheme).safeParse(input.newSecret.secret));
    }
    if (input.settings) {
      addIssues(ctx, ["settings"], endpointSettingsSchema.partial().safeParse(input.settings));
    }
  });
export type UpdateEndpointInput = z.input<typeof updateEndpointInput>;

function addIssues(ctx: z.RefinementCtx, prefix: (string | number)[], result: { success: boolean; error?: z.ZodError }) {
  if (result.success || !result.error) return;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: "custom", message: issue.message, path: [...prefix, ...(issue.path as (string | number)[])] });
  }
}

/** An endpoint as the API answers it: never a secret, only whether one is set and its last characters. */
export const endpointViewSchema = z.object({
  id: z.string(),
  flowId: z.string(),
  nodeId: z.string(),
  url: z.string(),
  /** Answers only while someone listens for a test event: captured as the sample, never run. */
  testUrl: z.string(),
  preset: z.enum(["form", "payment", "content", "generic"]),
  authScheme: z.string(),
  authConfig: z.record(z.string(), z.unknown()),
  hasSecret: z.boolean(),
  /** The secret's last 4 characters ("…a1b2"), to tell which one is set. */
  secretHint: z.string().nullable(),
  previousSecretExpiresAt: z.coerce.date().nullable(),
  maxBodyBytes: z.number(),
  rateLimitPerMinute: z.number().nullable(),
  ipAllowlist: z.array(z.string()),
  dedupe: dedupeSchema.nullable().catch(null),
  responseMode: z.enum(["async", "sync"]),
  syncTimeoutMs: z.number(),
  settings: endpointSettingsSchema,
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  /** Refused requests that were not stored because the endpoint had reached REFUSALS_STORED_PER_MINUTE (counted since the endpoint was created). */
  refusalsNotStored: z.number().int(),
  lastRefusalNotStoredAt: z.coerce.date().nullable(),
  createdAt: z.coerce.date(),
  updatedAt: z.coerce.date(),
});
export type EndpointView = z.output<typeof endpointViewSchema>;

/** GET /endpoints */
export const endpointListSchema = z.object({ endpoints: z.array(endpointViewSchema) });

/** PATCH /endpoints/:endpointId: a generated secret is answered this once. */
export const updatedEndpointSchema = z.object({ endpoint: endpointViewSchema, secret: z.string().optional() });

/** The security line on a trigger node, short enough for one line: "Stripe signature · 2 IPs · dedupe on id" (2 allowed IP ranges). */
export function describeEndpointSecurity(
  endpoint: Pick<EndpointView, "authScheme" | "ipAllowlist" | "dedupe" | "rateLimitPerMinute" | "responseMode" | "enabled" | "settings">,
): string {
  const info = AUTH_SCHEME_INFO[endpoint.authScheme as AuthScheme];
  const parts = [info ? info.short : endpoint.authScheme];
  const ranges = endpoint.ipAllowlist.length;
  if (ranges) parts.push(`${ranges} IP${ranges === 1 ? "" : "s"}`);
  if (endpoint.dedupe) parts.push(`dedupe on ${endpoint.dedupe.source === "header" ? endpoint.dedupe.header : endpoint.dedupe.path}`);
  if (endpoint.rateLimitPerMinute) parts.push(`${endpoint.rateLimitPerMinute}/min`);
  if (endpoint.responseMode === "sync") parts.push("waits for Respond");
  if (!endpoint.enabled) parts.unshift("Disabled");
  return parts.join(" · ");
}
