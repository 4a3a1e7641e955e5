import jsonata from "jsonata";
import { z } from "zod";
import type { EndpointPreset } from "@/lib/db/generated/client";

// Preset settings of an endpoint (Endpoint.settings), parsed on every read. Each preset is a
// ready configuration (see presets.ts) that the user can still edit.

const mediaRange = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\*|[a-z0-9!#$&^_.+-]+)\/(\*|\*\+[a-z0-9.-]+|[a-z0-9!#$&^_.+-]+)$/, 'Content types look like "application/json", "text/*" or "application/*+json"');

const origin = z
  .string()
  .trim()
  .refine((value) => value === "*" || /^https?:\/\/[^/\s]+$/.test(value), 'CORS origins look like "https://example.com" (no path) or "*"');

const cidr = z
  .string()
  .trim()
  .min(1)
  .max(64);

export const endpointSettingsSchema = z
  .object({
    /** Media ranges the endpoint accepts; anything else is answered 415. */
    acceptedContentTypes: z.array(mediaRange).min(1).max(20).default(["application/json", "application/*+json", "text/*"]),
    /** Only these event types start runs ("*" as a suffix wildcard); empty = every event. */
    eventTypes: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
    /** Where the event type is read: a header (checked first) and/or a dotted path into a JSON body. */
    eventTypeHeader: z.string().trim().toLowerCase().max(100).nullable().default(null),
    eventTypePath: z.string().trim().max(200).nullable().default(null),
    /** Plain HTML forms: answer 303 to this thank-you page instead of JSON. */
    redirectUrl: z.url({ protocol: /^https?$/ }).nullable().default(null),
    /** A hidden form field that humans leave empty; a filled one marks a bot (answered as success, nothing runs). */
    honeypotField: z.string().trim().min(1).max(100).nullable().default(null),
    /** Origins allowed to post from a browser with fetch (CORS). */
    corsOrigins: z.array(origin).max(50).default([]),
    /** Largest single uploaded file in a multipart form. */
    maxFileBytes: z.number().int().min(1).max(10 * 1024 * 1024).default(5 * 1024 * 1024),
    /** Proxies (CIDR) whose X-Forwarded-For is trusted for this endpoint, in addition to TRUSTED_PROXIES. */
    trustedProxies: z.array(cidr).max(50).default([]),
  })
  .strict();

export type EndpointSettings = z.output<typeof endpointSettingsSchema>;

/** Dedupe key source (Endpoint.dedupe): a request header, or a path (dotted or JSONata) into the JSON body. */
export const dedupeSchema = z.discriminatedUnion("source", [
  z.object({ source: z.literal("header"), header: z.string().trim().toLowerCase().min(1).max(100) }).strict(),
  z
    .object({
      source: z.literal("body"),
      path: z
        .string()
        .trim()
        .min(1)
        .max(500)
        .refine((path) => compiles(path), "The dedupe path must be a dotted path (data.object.id) or a valid JSONata expression"),
    })
    .strict(),
]);
export type DedupeConfig = z.output<typeof dedupeSchema>;

export function parseEndpointSettings(value: unknown): EndpointSettings {
  return endpointSettingsSchema.parse(value ?? {});
}

export function parseDedupe(value: unknown): DedupeConfig | null {
  return value == null ? null : dedupeSchema.parse(value);
}

export type { EndpointPreset };

function compiles(expression: string): boolean {
  try {
    jsonata(expression);
    return true;
  } catch {
    return false;
  }
}
