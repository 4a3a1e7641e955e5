// The run log's scrubber knows the forms a secret travels in (issue 15, item 12), for every credential type.
import { describe, expect, it } from "vitest";
import { secretStringsOf } from "@/lib/credentials/resolve-credential";
import { prepareForStorage, sensitiveValuesIn, serializeError } from "@/lib/runs/prepare-for-storage";

const stored = (value: unknown, secrets: string[]) => JSON.stringify(prepareForStorage(value, { secrets }).value);

describe("scrubbing derived forms of secrets", () => {
  it("HTTP Basic: base64(user:pass) padded, unpadded and base64url, and the user:pass pair", () => {
    const secrets = secretStringsOf("basic_auth", { username: "ops", password: "hunter2?" });
    const pair = Buffer.from("ops:hunter2?");
    const text = `Basic ${pair.toString("base64")} / ${pair.toString("base64").replace(/=+$/, "")} / ${pair.toString("base64url")} / ops:hunter2?`;
    expect(stored({ seen: text }, secrets)).toBe('{"seen":"Basic [redacted] / [redacted] / [redacted] / [redacted]"}');
  });

  it("a password too short to scrub on its own is still scrubbed inside its Basic header", () => {
    const secrets = secretStringsOf("basic_auth", { username: "admin", password: "pw" });
    expect(stored(`Basic ${Buffer.from("admin:pw").toString("base64")}`, secrets)).toBe('"Basic [redacted]"');
  });

  it("tokens URL-encoded, form-encoded and JSON-escaped", () => {
    const token = 'tok/en+with "quotes" & spaces';
    const secrets = secretStringsOf("bearer_token", { token });
    const text = [encodeURIComponent(token), new URLSearchParams({ t: token }).toString().slice(2), JSON.stringify(token).slice(1, -1)].join(" | ");
    expect(stored(text, secrets)).toBe('"[redacted] | [redacted] | [redacted]"');
  });

  it("webhook URLs: normalized, their path, their token segment and token query values", () => {
    const slack = secretStringsOf("slack_webhook", { url: "https://HOOKS.slack.com/services/T0001/B0001/abCDef1234567890xyZ" });
    expect(stored("posted to https://hooks.slack.com/services/T0001/B0001/abCDef1234567890xyZ", slack)).toBe('"posted to [redacted]"');
    expect(stored("no route for /services/T0001/B0001/abCDef1234567890xyZ", slack)).toBe('"no route for [redacted]"');
    expect(stored("invalid token abCDef1234567890xyZ", slack)).toBe('"invalid token [redacted]"');
    const alerts = secretStringsOf("http_webhook", { url: "https://alerts.example.com/in?key=k3y-0f-the-h00k&v=2", headers: { "x-key": "hdr-s3cret" } });
    expect(stored("key k3y-0f-the-h00k, header hdr-s3cret, page /in", alerts)).toBe('"key [redacted], header [redacted], page /in"');
  });

  it("SMTP AUTH PLAIN and LOGIN, and a Standard Webhooks key without its whsec_ prefix", () => {
    const smtp = secretStringsOf("smtp", { host: "smtp.example.com", user: "mailer", password: "m4il-pass", from: "a@b.c" });
    const plain = Buffer.from("\0mailer\0m4il-pass").toString("base64");
    const login = Buffer.from("m4il-pass").toString("base64");
    expect(stored(`AUTH PLAIN ${plain} then ${login}`, smtp)).toBe('"AUTH PLAIN [redacted] then [redacted]"');
    const key = Buffer.from("0123456789abcdef0123456789abcdef").toString("base64");
    expect(stored(`key ${key}`, secretStringsOf("webhook_signing", { secret: `whsec_${key}` }))).toBe('"key [redacted]"');
  });

  it("a secret typed into a node's config under a sensitive name is scrubbed where a response echoes it", () => {
    const config = { url: "https://api.example.com", headers: [{ name: "Authorization", value: "Bearer literal-secret-987" }], query: [{ name: "api_key", value: "q-key-123" }] };
    const secrets = sensitiveValuesIn(config);
    expect(stored({ body: "you sent Bearer literal-secret-987 (token literal-secret-987) and q-key-123" }, secrets)).toBe(
      '{"body":"you sent [redacted] (token [redacted]) and [redacted]"}',
    );
    expect(serializeError(Object.assign(new Error("denied literal-secret-987"), { details: { retryable: false, body: "q-key-123" } }), secrets)).toMatchObject({
      message: "denied [redacted]",
      body: "[redacted]",
    });
  });
});
