// SMTP through the SSRF guard: the host is resolved and checked once, and nodemailer connects to
// that very address (no second lookup to rebind); TLS still presents and verifies the host name.
import net from "node:net";
import nodemailer from "nodemailer";
import { assertHostAllowed } from "./assert-host-allowed";

export interface SmtpServer {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
}

/** A nodemailer transport pinned to an address the guard already checked. */
export function pinnedSmtpTransport(smtp: SmtpServer, address: string) {
  const name = smtp.host.replace(/^\[|\]$/g, "");
  return nodemailer.createTransport({
    host: address,
    port: smtp.port,
    secure: smtp.secure,
    tls: net.isIP(name) ? undefined : { servername: name },
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/** Checks the SMTP host against the workspace's allowed hosts and returns a transport pinned to it. */
export async function guardedSmtpTransport(smtp: SmtpServer, allowedHosts: readonly string[]) {
  return pinnedSmtpTransport(smtp, await assertHostAllowed(smtp.host, allowedHosts));
}
