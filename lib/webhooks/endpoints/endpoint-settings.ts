import jsonata from "jsonata";
import { z } from "zod";
import type { EndpointPreset } from "@/lib/db/generated/client";
import { parseCidrList } from "../ingress/client-ip";

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

/** One IP address or CIDR range (203.0.113.0/24, 2001:db8::/32); a bare address is a /32 or /128. */
export const cidrEntry = z
  .string()
  .trim()
  .min(1, "Enter an IP address or CIDR range")
  .max(64, "An IP range is at most 64 characters")
  .refine((value) => isCidr(value), "Not an IP address or CIDR range (e.g. 203.0.113.0/24 or 2001:db8::/32)");

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
    trustedProxies: z.array(cidrEntry).max(50, "At most 50 trusted proxy ranges").default([]),
  })
  .strict();

export type EndpointSettings = z.output<typeof endpointSettingsSchema>;

/** How long a dedupe key blocks repeats; absent = as long as the deliveries are kept. */
const dedupeWindowSeconds = z
  .number({ error: "The dedupe window is a number of seconds" })
  .int()
  .min(60, "The dedupe window is at least 1 minute")
  .max(90 * 86_400, "The dedupe window is at most 90 days")
  .optional();

/** Dedupe key source (Endpoint.dedupe): a request header, or a path (dotted or JSONata) into the JSON body. */
export const dedupeSchema = z.discriminatedUnion("source", [
  z.object({ source: z.literal("header"), header: z.string().trim().toLowerCase().min(1, "Name the header that carries the unique id").max(100), windowSeconds: dedupeWindowSeconds }).strict(),
  z
    .object({
      source: z.literal("body"),
      windowSeconds: dedupeWindowSeconds,
      path: z
        .string()
        .trim()
        .min(1, "Name the body field that carries the unique id (e.g. id or data.object.id)")
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

function isCidr(value: string): boolean {
  try {
    parseCidrList([value]);
    return true;
  } catch {
    return false;
  }
}

function compiles(expression: string): boolean {
  try {
    jsonata(expression);
    return true;
  } catch {
    return false;
  }
}
