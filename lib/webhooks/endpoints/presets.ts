import type { EndpointPreset } from "@/lib/db/generated/client";
import type { AuthScheme } from "../ingress/verify-auth";
import type { DedupeConfig, EndpointSettings } from "./endpoint-settings";
import { parseEndpointSettings } from "./endpoint-settings";

/** Trigger node kinds in the flow graph and the endpoint preset each one gets. */
export const TRIGGER_PRESETS = {
  form_trigger: "form",
  payment_trigger: "payment",
  content_trigger: "content",
  webhook_trigger: "generic",
} as const satisfies Record<string, EndpointPreset>;

export type TriggerNodeKind = keyof typeof TRIGGER_PRESETS;

export function isTriggerNodeKind(kind: string): kind is TriggerNodeKind {
  return Object.hasOwn(TRIGGER_PRESETS, kind);
}

export interface PresetDefaults {
  authScheme: AuthScheme;
  authConfig: Record<string, unknown>;
  dedupe: DedupeConfig | null;
  settings: EndpointSettings;
}

/** The ready configuration of each preset, which the user can edit afterwards. */
export function presetDefaults(preset: EndpointPreset): PresetDefaults {
  switch (preset) {
    case "form":
      // Browsers cannot keep a secret, so forms rely on the unguessable URL plus a honeypot.
      return {
        authScheme: "none",
        authConfig: {},
        dedupe: null,
        settings: parseEndpointSettings({
          acceptedContentTypes: ["application/x-www-form-urlencoded", "multipart/form-data", "application/json"],
          honeypotField: "_gotcha",
        }),
      };
    case "payment":
      // Stripe retries for up to 3 days and may send an event twice: dedupe on the event id.
      return {
        authScheme: "stripe",
        authConfig: {},
        dedupe: { source: "body", path: "id" },
        settings: parseEndpointSettings({
          acceptedContentTypes: ["application/json"],
          eventTypePath: "type",
          eventTypes: ["checkout.session.completed", "payment_intent.succeeded"],
        }),
      };
    case "content":
      return {
        authScheme: "standard_webhooks",
        authConfig: {},
        dedupe: { source: "header", header: "webhook-id" },
        settings: parseEndpointSettings({
          acceptedContentTypes: ["application/json", "application/*+json"],
          // Contentful names the event in a header; Ghost, Sanity and WordPress plugins in the body.
          eventTypeHeader: "x-contentful-topic",
          eventTypePath: "event",
        }),
      };
    case "generic":
      return {
        authScheme: "none",
        authConfig: {},
        dedupe: null,
        settings: parseEndpointSettings({}),
      };
  }
}
