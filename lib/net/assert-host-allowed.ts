// The SSRF check for non-HTTP destinations (SMTP): resolve the host once, refuse internal
// addresses unless the workspace (within the operator's bound) allows them, and return the
// address that was checked — the caller connects to exactly that address, never resolving again.
import dns from "node:dns/promises";
import net from "node:net";
import { BlockedDestinationError, OutboundNetworkError } from "./guarded-request";
import { OutboundAllowlist } from "./host-allowlist";
import { blockedAddressReason } from "./is-blocked-address";

/** Resolves `host`, checks every address, and returns the one to connect to. */
export async function assertHostAllowed(host: string, allowedHosts: readonly string[]): Promise<string> {
  const name = host.replace(/^\[|\]$/g, "");
  const allowlist = new OutboundAllowlist(allowedHosts);
  let addresses: string[];
  try {
    addresses = net.isIP(name) ? [name] : (await dns.lookup(name, { all: true })).map((entry) => entry.address);
  } catch (error) {
    throw new OutboundNetworkError(`Could not resolve ${name}: ${(error as Error).message}`, (error as NodeJS.ErrnoException).code ?? "dns_error");
  }
  if (addresses.length === 0) throw new OutboundNetworkError(`Could not resolve ${name}: no addresses`, "dns_error");
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason && !allowlist.exempts(name, address)) throw new BlockedDestinationError(name, address, reason);
  }
  return addresses[0];
}
