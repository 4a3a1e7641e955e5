// A workspace's allowedHosts: entries that exempt a host from the SSRF guard.
// Accepted forms: "hooks.internal" (exact host), "*.corp.example" (any subdomain),
// "10.0.0.5" (an IP literal) and "10.0.0.0/8" (a CIDR range matched against resolved addresses).
import ipaddr from "ipaddr.js";

export class HostAllowlist {
  readonly #hosts = new Set<string>();
  readonly #suffixes: string[] = [];
  readonly #ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];

  constructor(entries: readonly string[] = []) {
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, "");
      if (!entry) continue;
      if (entry.startsWith("*.")) this.#suffixes.push(entry.slice(1));
      else if (entry.includes("/") && isCidr(entry)) this.#ranges.push(ipaddr.parseCIDR(entry));
      else this.#hosts.add(entry);
    }
  }

  get isEmpty(): boolean {
    return this.#hosts.size === 0 && this.#suffixes.length === 0 && this.#ranges.length === 0;
  }

  allowsHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
    if (this.#hosts.has(host)) return true;
    return this.#suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
  }

  allowsAddress(address: string): boolean {
    if (this.#hosts.has(address.toLowerCase())) return true;
    if (!ipaddr.isValid(address)) return false;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    return this.#ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
  }
}

function isCidr(entry: string): boolean {
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}
