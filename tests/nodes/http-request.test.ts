// The HTTP request node against a real loopback server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { NodeAttemptError } from "@/lib/runs/execute-node";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/databases";
import { startTestServer, type Responder, type TestServer } from "../helpers/flows-and-receivers";
import { createHarness, type Harness } from "./node-harness";

describe("http_request node", () => {
  let db: TestDatabase;
  let server: TestServer;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase();
    h = await createHarness(db);
    server = await startTestServer((request): ReturnType<Responder> => {
      if (request.url.startsWith("/text")) return { status: 200, headers: { "content-type": "text/plain" }, body: "plain words" };
      if (request.url.startsWith("/missing")) return { status: 404, body: { error: "nope" } };
      if (request.url.startsWith("/huge")) return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ blob: "x".repeat(3 * 1024 * 1024) }) };
      if (request.url.startsWith("/busy")) return { status: 429, headers: { "retry-after": "7" }, body: { error: "slow down" } };
      const isJson = String(request.headers["content-type"]).startsWith("application/json");
      return { status: 201, body: { received: isJson ? JSON.parse(request.body) : request.body } };
    });
  });
  afterAll(async () => {
    await server.close();
    await db.destroy();
  });

  it("sends method, headers, query and a JSON body built from expressions; parses a JSON response", async () => {
    const result = await h.run(
      "http_request",
      {
        method: "POST",
        url: `${server.url}/leads`,
        headers: [{ name: "X-Source", value: "{{ trigger.body.source }}" }],
        query: [{ name: "ref", value: "{{ trigger.body.ref }}" }],
        jsonBody: { email: "{{ trigger.body.email }}", amount: "{{ trigger.body.amount }}" },
      },
      { body: { source: "form", ref: "abc 1", email: "ada@example.com", amount: 12.5 } },
    );
    const request = server.requests.at(-1)!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/leads?ref=abc+1");
    expect(request.headers["x-source"]).toBe("form");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["idempotency-key"]).toBe("run_test:node1");
    expect(JSON.parse(request.body)).toEqual({ email: "ada@example.com", amount: 12.5 });
    expect(result).toMatchObject({ type: "done", output: { status: 201, body: { received: { email: "ada@example.com", amount: 12.5 } } } });
  });

  it("delivers a form field containing {{ }} verbatim (no double evaluation)", async () => {
    await h.run("http_request", { method: "POST", url: `${server.url}/echo`, jsonBody: { comment: "{{ trigger.body.comment }}" } }, { body: { comment: "{{$string(1+1)}}" } });
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({ comment: "{{$string(1+1)}}" });
  });

  it("sends form and raw bodies and returns text responses as text", async () => {
    await h.run("http_request", { method: "POST", url: `${server.url}/form`, bodyType: "form", formBody: [{ name: "a", value: "1 & 2" }] });
    expect(server.requests.at(-1)!.body).toBe("a=1+%26+2");
    expect(server.requests.at(-1)!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const text = await h.run("http_request", { method: "POST", url: `${server.url}/text`, bodyType: "raw", rawBody: "hello", rawContentType: "text/csv" });
    expect(server.requests.at(-1)!.headers["content-type"]).toBe("text/csv");
    expect(text).toMatchObject({ output: { status: 200, body: "plain words" } });
  });

  it("adds credentials and Standard Webhooks signatures, and keeps secrets out of the recorded input", async () => {
    const bearer = await h.credential("bearer_token", { token: "tok_secret_123" });
    const signing = await h.credential("webhook_signing", { secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
    const result = await h.run("http_request", { method: "POST", url: `${server.url}/signed`, authCredentialId: bearer, signingCredentialId: signing, jsonBody: { a: 1 } });
    const request = server.requests.at(-1)!;
    expect(request.headers.authorization).toBe("Bearer tok_secret_123");
    const verified = new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").verify(request.body, request.headers as Record<string, string>);
    expect(verified).toEqual({ a: 1 });
    expect(request.headers["webhook-id"]).toBe("run_test:node1");
    expect(JSON.stringify(result.input)).not.toContain("tok_secret_123");
    expect(result.secrets).toContain("tok_secret_123");
  });

  it("fails without retry on an unexpected 4xx, keeping status and body", async () => {
    const error = (await h.run("http_request", { method: "GET", url: `${server.url}/missing` }).catch((e) => e)) as NodeAttemptError;
    expect(error).toBeInstanceOf(NodeAttemptError);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+ answered HTTP 404 \(not retryable\)$/);
    expect((error.cause as { details: { status: number; body: unknown } }).details).toMatchObject({ status: 404, body: { error: "nope" } });
  });

  it("treats 429 as retryable and reads Retry-After", async () => {
    const error = (await h.run("http_request", { method: "GET", url: `${server.url}/busy` }).catch((e) => e)) as NodeAttemptError;
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
  });

  it("cuts responses over 2 MB and keeps the received text instead of failing to parse it", async () => {
    const result = await h.run("http_request", { method: "GET", url: `${server.url}/huge` });
    if (result.type !== "done") throw new Error("expected a result");
    const output = result.output as { bodyTruncated: boolean; body: string };
    expect(output.bodyTruncated).toBe(true);
    expect(typeof output.body).toBe("string");
    expect(output.body.length).toBe(2 * 1024 * 1024);
  });

  it("accepts configured expected statuses", async () => {
    const result = await h.run("http_request", { method: "GET", url: `${server.url}/missing`, expectedStatuses: "200-299,404" });
    expect(result).toMatchObject({ output: { status: 404 } });
  });

  it("is refused by the SSRF guard when the workspace does not allow loopback", async () => {
    const before = server.requests.length;
    const error = (await h.run("http_request", { method: "GET", url: `${server.url}/x` }, { allowedHosts: [] }).catch((e) => e)) as NodeAttemptError;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("loopback addresses are not reachable from flows");
    expect(server.requests.length).toBe(before);
  });

  it("treats an unreachable server as a retryable network failure", async () => {
    const closed = await startTestServer();
    await closed.close();
    const error = (await h.run("http_request", { method: "GET", url: `${closed.url}/` }).catch((e) => e)) as NodeAttemptError;
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});
