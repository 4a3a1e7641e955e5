// The SSRF check for non-HTTP destinations (SMTP): resolve the host and refuse internal
// addresses unless the workspace allows the host.
import dns from "node:dns/promises";
import net from "node:net";
import { BlockedDestinationError } from "./guarded-request";
import { HostAllowlist } from "./host-allowlist";
import { blockedAddressReason } from "./is-blocked-address";

export async function assertHostAllowed(host: string, allowedHosts: readonly string[]): Promise<void> {
  const allowlist = new HostAllowlist(allowedHosts);
  if (allowlist.allowsHost(host)) return;
  const addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((entry) => entry.address);
  for (const address of addresses) {
    const reason = blockedAddressReason(address);
    if (reason && !allowlist.allowsAddress(address)) throw new BlockedDestinationError(host, address, reason);
  }
}
