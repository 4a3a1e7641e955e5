import ipaddr from "ipaddr.js";

export type CidrRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parsed CIDR ranges; a bare address counts as a /32 (or /128). Throws a clear error for bad input. */
export function parseCidrList(list: string[]): CidrRange[] {
  return list.map((entry) => {
    const value = entry.trim();
    try {
      if (value.includes("/")) return ipaddr.parseCIDR(value);
      const address = ipaddr.parse(value);
      return [address, address.kind() === "ipv4" ? 32 : 128];
    } catch {
      throw new Error(`"${entry}" is not an IP address or CIDR range (e.g. 203.0.113.0/24 or 2001:db8::/32)`);
    }
  });
}

function normalize(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const parsed = ipaddr.parse(address.trim());
    // ::ffff:1.2.3.4 from a dual-stack socket is the IPv4 client 1.2.3.4.
    return parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
      ? (parsed as ipaddr.IPv6).toIPv4Address()
      : parsed;
  } catch {
    return null;
  }
}

export function ipInRanges(address: string, ranges: CidrRange[]): boolean {
  const parsed = normalize(address);
  if (!parsed) return false;
  return ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
}

/**
 * The client's address: the socket peer, unless that peer is a trusted proxy, in which case the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy (entries to its left can be
 * forged by the client).
 */
export function resolveClientIp(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: CidrRange[],
): string | null {
  const peerAddress = peer ? normalize(peer)?.toString() ?? peer : null;
  if (!peerAddress || trustedProxies.length === 0 || !ipInRanges(peerAddress, trustedProxies) || !forwardedFor) return peerAddress;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalize(hops[i]);
    if (!hop) return peerAddress; // garbage in the chain: fall back to what we can see
    if (!ipInRanges(hop.toString(), trustedProxies) || i === 0) return hop.toString();
  }
  return peerAddress;
}

/** TRUSTED_PROXIES: comma-separated CIDR ranges whose X-Forwarded-For header is believed. */
export function trustedProxiesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}
