// Exceptions to the SSRF guard. Entries: "hooks.internal" (exact host), "*.corp.example" (any
// subdomain), "10.0.0.5" (an IP literal) and "10.0.0.0/8" (a CIDR range matched against resolved
// addresses). A workspace's allowedHosts only count within the operator's bound,
// SWITCHYARD_ALLOWED_INTERNAL_HOSTS (default none), so no workspace owner opens what the operator did not.
import ipaddr from "ipaddr.js";
import { embeddedIPv4 } from "./is-blocked-address";

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

  get hasRanges(): boolean {
    return this.#ranges.length > 0;
  }

  allowsHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
    if (this.#hosts.has(host)) return true;
    return this.#suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
  }

  allowsAddress(address: string): boolean {
    if (this.#hosts.has(address.toLowerCase())) return true;
    if (!ipaddr.isValid(address)) return false;
    const parsed = ipaddr.parse(address);
    const v4 = embeddedIPv4(parsed);
    if (v4 && this.#hosts.has(v4.toString())) return true;
    return [parsed, v4].some((candidate) => candidate && this.#ranges.some(([range, bits]) => range.kind() === candidate.kind() && candidate.match(range, bits)));
  }

  /** Whether this list exempts a connection to `host` at `address`, by name or by address. */
  exempts(host: string, address?: string): boolean {
    return this.allowsHost(host) || (address !== undefined && this.allowsAddress(address));
  }

  /** Whether a workspace entry can ever take effect within this (operator) list. */
  covers(entry: string): boolean {
    const value = entry.trim().toLowerCase().replace(/^\[|\]$/g, "");
    if (value.includes("/") && isCidr(value)) {
      const [network, bits] = ipaddr.parseCIDR(value);
      return this.#ranges.some(([range, rangeBits]) => range.kind() === network.kind() && rangeBits <= bits && network.match(range, rangeBits));
    }
    if (ipaddr.isValid(value)) return this.allowsAddress(value);
    // A name can resolve into one of the operator's ranges; it is then checked at connect time.
    if (this.hasRanges) return true;
    if (value.startsWith("*.")) return this.#suffixes.some((suffix) => value.slice(1).endsWith(suffix)) || this.#hosts.has(value);
    return this.allowsHost(value);
  }
}

/** The operator's bound: SWITCHYARD_ALLOWED_INTERNAL_HOSTS, comma-separated, default none. */
export function operatorAllowlist(env: NodeJS.ProcessEnv = process.env): HostAllowlist {
  const raw = env.SWITCHYARD_ALLOWED_INTERNAL_HOSTS ?? "";
  if (cached?.raw !== raw) cached = { raw, list: new HostAllowlist(raw.split(",")) };
  return cached.list;
}
let cached: { raw: string; list: HostAllowlist } | undefined;

/** A workspace's exceptions, each effective only where the operator's bound also allows it. */
export class OutboundAllowlist {
  readonly #workspace: HostAllowlist;
  readonly #operator: HostAllowlist;

  constructor(workspaceEntries: readonly string[] = [], operator: HostAllowlist = operatorAllowlist()) {
    this.#workspace = new HostAllowlist(workspaceEntries);
    this.#operator = operator;
  }

  /** A host both lists allow by name: every address it resolves to may be dialled. */
  allowsHost(host: string): boolean {
    return this.#workspace.allowsHost(host) && this.#operator.allowsHost(host);
  }

  exempts(host: string, address: string): boolean {
    return this.#workspace.exempts(host, address) && this.#operator.exempts(host, address);
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
