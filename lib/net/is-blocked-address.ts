// Which resolved addresses outbound requests may not reach (SSRF): anything that is not a
// public unicast address. IPv4-mapped IPv6 is judged as the IPv4 address inside it.
import ipaddr from "ipaddr.js";

const BLOCKED_V4_RANGES = new Set([
  "unspecified", // 0.0.0.0/8
  "broadcast",
  "multicast",
  "linkLocal", // 169.254.0.0/16, including the cloud metadata address 169.254.169.254
  "loopback",
  "carrierGradeNat",
  "private",
  "reserved",
  "as112",
  "amt",
]);

const BLOCKED_V6_RANGES = new Set([
  "unspecified",
  "linkLocal",
  "multicast",
  "loopback",
  "uniqueLocal", // fc00::/7
  "ipv4Mapped",
  "rfc6145",
  "rfc6052",
  "6to4",
  "teredo",
  "reserved",
  "benchmarking",
  "amt",
  "as112v6",
  "deprecated",
  "orchid2",
  "droneRemoteIdProtocolEntityTags",
]);

/** Returns why an address is refused ("loopback", "private", …) or null when it is public. */
export function blockedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid address";
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (parsed.kind() === "ipv4") return BLOCKED_V4_RANGES.has(range) ? range : null;
  // Site-local fec0::/10 is deprecated but still routed internally by some networks.
  if ((parsed as ipaddr.IPv6).match(ipaddr.IPv6.parse("fec0::"), 10)) return "siteLocal";
  return BLOCKED_V6_RANGES.has(range) ? range : null;
}
