// Which Inngest the app talks to is decided by the SDK's standard variables alone.
import { Inngest } from "inngest";
import { describe, expect, it } from "vitest";
import { embeddedClientOptions, embeddedEngineEnabled, embeddedEngineKeys, embeddedFetch } from "@/inngest/local";

describe("embeddedEngineEnabled", () => {
  it("runs the embedded engine when no Inngest is configured", () => {
    expect(embeddedEngineEnabled({})).toBe(true);
    expect(embeddedEngineEnabled({ INNGEST_DEV: "0" })).toBe(true);
    expect(embeddedEngineEnabled({ INNGEST_EVENT_KEY: "only-an-event-key" })).toBe(true);
  });

  it("steps aside for a Dev Server, self-hosted Inngest or Inngest Cloud", () => {
    expect(embeddedEngineEnabled({ INNGEST_DEV: "1" })).toBe(false);
    expect(embeddedEngineEnabled({ INNGEST_DEV: "http://localhost:8288" })).toBe(false);
    expect(embeddedEngineEnabled({ INNGEST_BASE_URL: "http://localhost:8288" })).toBe(false);
    expect(embeddedEngineEnabled({ INNGEST_EVENT_KEY: "evt", INNGEST_SIGNING_KEY: "signkey-prod-00" })).toBe(false);
  });
});

describe("embeddedClientOptions", () => {
  it("points the SDK at this process's engine on loopback, signed with this process's key", () => {
    const options = embeddedClientOptions({ PORT: "4100", HOST: "0.0.0.0" });
    expect(options).toEqual({
      fetch: embeddedFetch,
      isDev: false,
      baseUrl: "http://127.0.0.1:4100/api/engine/",
      eventKey: embeddedEngineKeys().eventKey,
      signingKey: embeddedEngineKeys().signingKey,
    });
    expect(embeddedClientOptions({}).baseUrl).toBe("http://127.0.0.1:3000/api/engine/");
    const client = new Inngest({ id: "switchyard", ...options });
    expect(client.apiBaseUrl).toBe("http://127.0.0.1:4100/api/engine/");
    expect(client.mode).toBe("cloud"); // the serve endpoint then verifies the engine's signatures
  });
});
