// Server-only: sends an email through the workspace's SMTP credential with nodemailer.
import { BlockedDestinationError } from "@/lib/net/guarded-request";
import { pinnedSmtpTransport } from "@/lib/net/smtp-transport";
import { NodeError, type NodeRunner } from "../node-runner";
import type { SendEmailConfig } from "./definition";

// SMTP reply codes that will not improve by retrying (bad mailbox, policy refusal, auth).
const PERMANENT_SMTP_CODES = /^5\d\d$/;

export const sendEmailRunner: NodeRunner<SendEmailConfig> = {
  async run(ctx) {
    const smtp = await ctx.getCredential(ctx.config.credentialId, ["smtp"] as const);
    let address: string;
    try {
      address = await ctx.assertHostAllowed(smtp.host);
    } catch (error) {
      if (error instanceof BlockedDestinationError) throw new NodeError(error.message, { retryable: false, code: error.code });
      throw error;
    }
    // Connect to the address that was checked: a second lookup could be rebound to an internal one.
    const transport = pinnedSmtpTransport(smtp, address);
    const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
    // A stable Message-ID lets receiving systems drop the copy a repeated step would send.
    const messageId = `<${ctx.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, ".")}@switchyard>`;
    try {
      const info = await transport.sendMail({
        from: smtp.from,
        to: text(ctx.config.to),
        cc: text(ctx.config.cc) || undefined,
        bcc: text(ctx.config.bcc) || undefined,
        replyTo: text(ctx.config.replyTo) || undefined,
        subject: text(ctx.config.subject),
        text: text(ctx.config.text) || undefined,
        html: text(ctx.config.html) || undefined,
        messageId,
      });
      return { output: { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response } };
    } catch (error) {
      const err = error as Error & { responseCode?: number; code?: string };
      const permanent = err.code === "EENVELOPE" || err.code === "EAUTH" || PERMANENT_SMTP_CODES.test(String(err.responseCode ?? ""));
      throw new NodeError(`Sending email via ${smtp.host}:${smtp.port} failed: ${err.message}`, { retryable: !permanent, code: err.code ?? "smtp_error" });
    } finally {
      transport.close();
    }
  },
};
