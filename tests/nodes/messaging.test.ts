// Slack, Discord and Teams message nodes posting to real loopback "incoming webhooks".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAttemptError } from "@/lib/runs/execute-node";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/databases";
import { startTestServer, type TestServer } from "../helpers/flows-and-receivers";
import { createHarness, type Harness } from "./node-harness";

describe("messaging nodes", () => {
  let db: TestDatabase;
  let server: TestServer;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase();
    h = await createHarness(db);
    server = await startTestServer((request) => {
      if (request.url.startsWith("/discord")) return { status: 200, body: { id: "msg_1", content: JSON.parse(request.body).content } };
      if (request.url.startsWith("/broken")) return { status: 400, body: "invalid_payload" };
      return { status: 200, body: "ok" };
    });
  });
  afterAll(async () => {
    await server.close();
    await db.destroy();
  });

  it("posts a templated Slack message to the credential's webhook URL", async () => {
    const credentialId = await h.credential("slack_webhook", { url: `${server.url}/slack/T000/B000/secretpart` });
    const result = await h.run("slack_message", { credentialId, text: "New lead: {{ trigger.body.email }}", username: "Switchyard", iconEmoji: ":zap:" }, { body: { email: "ada@example.com" } });
    const request = server.requests.at(-1)!;
    expect(request.url).toBe("/slack/T000/B000/secretpart");
    expect(JSON.parse(request.body)).toEqual({ text: "New lead: ada@example.com", username: "Switchyard", icon_emoji: ":zap:" });
    expect(result).toMatchObject({ output: { status: 200, response: "ok", text: "New lead: ada@example.com" } });
    // The webhook URL is the secret: it is scrubbed from what the run log stores.
    expect(result.secrets).toContain(`${server.url}/slack/T000/B000/secretpart`);
  });

  it("posts to Discord with wait=true and returns the message id", async () => {
    const credentialId = await h.credential("discord_webhook", { url: `${server.url}/discord/123/abc` });
    const result = await h.run("discord_message", { credentialId, content: "Paid: {{ trigger.body.amount }}" }, { body: { amount: 42 } });
    expect(server.requests.at(-1)!.url).toBe("/discord/123/abc?wait=true");
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ content: "Paid: 42" });
    expect(result).toMatchObject({ output: { messageId: "msg_1" } });
  });

  it("posts a MessageCard to Teams", async () => {
    const credentialId = await h.credential("teams_webhook", { url: `${server.url}/teams/hook` });
    await h.run("teams_message", { credentialId, title: "Published", text: "{{ trigger.body.title }} is live" }, { body: { title: "Launch post" } });
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({
      "@type": "MessageCard",
      "@context": "https://schema.org/extensions",
      summary: "Published",
      title: "Published",
      text: "Launch post is live",
    });
  });

  it("fails clearly when the service rejects the message, without leaking the URL", async () => {
    const credentialId = await h.credential("slack_webhook", { url: `${server.url}/broken/secret-token` });
    const error = (await h.run("slack_message", { credentialId, text: "hi" }).catch((e) => e)) as NodeAttemptError;
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("Slack webhook answered HTTP 400 (not retryable)");
  });

  it("refuses a credential of the wrong type", async () => {
    const credentialId = await h.credential("discord_webhook", { url: `${server.url}/discord/1/2` });
    const error = (await h.run("slack_message", { credentialId, text: "hi" }).catch((e) => e)) as NodeAttemptError;
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/is a discord_webhook credential; this node needs slack_webhook/);
  });
});
