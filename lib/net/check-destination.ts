// Server-only: before publishing, can this workspace's flows reach a step's destination (an HTTP
// URL, or the host in a message/email credential)? The same SSRF rules the run applies at
// connection time, answered ahead: the host, the address it resolves to and why it is refused.
import dns from "node:dns/promises";
import net from "node:net";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { CREDENTIAL_TYPES, resolveCredential, type CredentialType } from "@/lib/credentials";
import type { PrismaClient } from "@/lib/db/client";
import { OutboundAllowlist, operatorAllowlist } from "./host-allowlist";
import type { DestinationCheck } from "./destination-check";
import { blockedAddressReason } from "./is-blocked-address";

export const checkDestinationInput = z
  .object({
    /** An HTTP(S) URL as written in a step; a host made of an expression cannot be checked ahead. */
    url: z.string().max(8000).optional(),
    /** A credential whose data names the destination (Slack/Discord/Teams webhook URL, SMTP host). */
    credentialId: z.string().min(1).optional(),
  })
  .refine((input) => (input.url === undefined) !== (input.credentialId === undefined), { message: "Send either url or credentialId" });

export type { DestinationCheck } from "./destination-check";

const LOOKUP_TIMEOUT_MS = 3000;

export async function checkDestination(prisma: PrismaClient, workspaceId: string, input: z.infer<typeof checkDestinationInput>): Promise<DestinationCheck> {
  const host = input.url !== undefined ? staticHost(input.url) : await credentialHost(prisma, workspaceId, input.credentialId!);
  if (!host) return { status: "unknown", host: null };
  const workspace = await prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { allowedHosts: true } });
  const allowlist = new OutboundAllowlist(workspace.allowedHosts);
  if (allowlist.allowsHost(host)) return { status: "reachable", host };
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : await lookupAll(host);
  } catch {
    return { status: "unknown", host };
  }
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason && !allowlist.exempts(host, address)) return { status: "blocked", host, address, reason, operatorAllows: operatorAllowlist().exempts(host, address) };
  }
  return { status: addresses.length ? "reachable" : "unknown", host };
}

/** The host of a URL, unless an expression decides it ("https://{{ … }}/x"). */
export function staticHost(url: string): string | null {
  const scheme = url.indexOf("://");
  if (scheme === -1) return null;
  const rest = url.slice(scheme + 3);
  const end = rest.search(/[/?#]/);
  if (url.slice(0, scheme + 3 + (end === -1 ? rest.length : end)).includes("{{")) return null;
  try {
    const parsed = new URL(url.replace(/\{\{[\s\S]*?\}\}/g, "x"));
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase() || null;
  } catch {
    return null;
  }
}

async function credentialHost(prisma: PrismaClient, workspaceId: string, credentialId: string): Promise<string | null> {
  let credential: { type: CredentialType; data: unknown };
  try {
    credential = await resolveCredential(prisma, { workspaceId, id: credentialId, types: CREDENTIAL_TYPES });
  } catch {
    throw new AppError("not_found", "Credential not found in this workspace");
  }
  const data = credential.data as { url?: unknown; host?: unknown };
  if (typeof data.host === "string") return data.host.trim().toLowerCase() || null;
  return typeof data.url === "string" ? staticHost(data.url) : null;
}

async function lookupAll(host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("DNS lookup timed out")), LOOKUP_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([dns.lookup(host, { all: true }), timeout])).map((entry) => entry.address);
  } finally {
    clearTimeout(timer);
  }
}
