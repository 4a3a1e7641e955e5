// The send_email node against a real SMTP server (smtp-server) on loopback.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeAttemptError } from "@/lib/runs/execute-node";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/databases";
import { createHarness, type Harness } from "./node-harness";

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  user?: string;
}

describe("send_email node", () => {
  let db: TestDatabase;
  let h: Harness;
  let smtp: SMTPServer;
  let port: number;
  const received: ReceivedMail[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    h = await createHarness(db);
    smtp = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      authOptional: true,
      onAuth(auth, _session, callback) {
        if (auth.username === "mailer" && auth.password === "s3cret-pass") callback(null, { user: auth.username });
        else callback(new Error("Invalid username or password"));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith("@nowhere.invalid")) return callback(Object.assign(new Error("No such user"), { responseCode: 550 }));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString("utf8"),
            user: session.user as string | undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    port = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await db.destroy();
  });

  const credential = () => h.credential("smtp", { host: "127.0.0.1", port, secure: false, user: "mailer", password: "s3cret-pass", from: "Switchyard <robot@acme.test>" });

  it("delivers the message with templated subject and body, authenticated", async () => {
    const credentialId = await credential();
    const result = await h.run(
      "send_email",
      { credentialId, to: "{{ trigger.body.email }}", cc: "sales@acme.test", subject: "Order {{ trigger.body.order }} received", text: "Hi {{ trigger.body.name }}, thanks!", html: "<p>Hi <b>{{ trigger.body.name }}</b></p>" },
      { body: { email: "ada@example.com", order: 1042, name: "Ada" } },
    );
    const mail = received.at(-1)!;
    expect(mail.user).toBe("mailer");
    expect(mail.from).toBe("robot@acme.test");
    expect(mail.to.sort()).toEqual(["ada@example.com", "sales@acme.test"]);
    expect(mail.raw).toMatch(/^Subject: Order 1042 received$/m);
    expect(mail.raw).toContain("Hi Ada, thanks!");
    expect(mail.raw).toContain("<p>Hi <b>Ada</b></p>");
    expect(mail.raw).toMatch(/^Message-ID: <run_test\.node1@switchyard>$/m);
    expect(result).toMatchObject({ type: "done", output: { accepted: expect.arrayContaining(["ada@example.com"]), rejected: [] } });
    // The password as typed and as SMTP AUTH sends it (PLAIN: base64 of \0user\0password; LOGIN: base64 of the password).
    expect(result.secrets).toEqual(expect.arrayContaining(["s3cret-pass", Buffer.from("\0mailer\0s3cret-pass").toString("base64"), Buffer.from("s3cret-pass").toString("base64")]));
  });

  it("fails without retry when the server refuses the recipient", async () => {
    const credentialId = await credential();
    const error = (await h.run("send_email", { credentialId, to: "ghost@nowhere.invalid", subject: "x", text: "y" }).catch((e) => e)) as NodeAttemptError;
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^Sending email via 127\.0\.0\.1:\d+ failed: /);
  });

  it("is refused by the SSRF guard when the workspace does not allow the SMTP host", async () => {
    const credentialId = await credential();
    const before = received.length;
    const error = (await h.run("send_email", { credentialId, to: "a@b.test", subject: "x", text: "y" }, { allowedHosts: [] }).catch((e) => e)) as NodeAttemptError;
    expect(error.message).toContain("loopback addresses are not reachable from flows");
    expect(received.length).toBe(before);
  });

  it("needs a body", async () => {
    const credentialId = await credential();
    const error = (await h.run("send_email", { credentialId, to: "a@b.test", subject: "x" }).catch((e) => e)) as NodeAttemptError;
    expect(error.message).toBe('Node "node1" has invalid config: text: Write a plain-text or an HTML body');
  });
});
