// Which resolved addresses outbound requests may not reach (SSRF): anything that is not a
// public unicast address. IPv6 forms that carry an IPv4 address — IPv4-mapped (::ffff:0:0/96),
// IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) — are judged as that IPv4 address.
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
  "rfc6052", // NAT64 prefixes other than the well-known 64:ff9b::/96 (local-use 64:ff9b:1::/48)
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

const NAT64_WELL_KNOWN = ipaddr.IPv6.parse("64:ff9b::");

/** The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), else null. */
export function embeddedIPv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | null {
  if (address.kind() !== "ipv6") return null;
  const v6 = address as ipaddr.IPv6;
  const parts = v6.parts;
  const low32 = () => ipaddr.IPv4.parse(`${parts[6] >> 8}.${parts[6] & 255}.${parts[7] >> 8}.${parts[7] & 255}`);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  // ::/96 (IPv4-compatible, deprecated) — except :: and ::1, which keep their IPv6 meaning.
  if (parts.slice(0, 6).every((part) => part === 0) && (parts[6] !== 0 || parts[7] > 1)) return low32();
  if (v6.match(NAT64_WELL_KNOWN, 96)) return low32();
  if (parts[0] === 0x2002) return ipaddr.IPv4.parse(`${parts[1] >> 8}.${parts[1] & 255}.${parts[2] >> 8}.${parts[2] & 255}`);
  return null;
}

/** Returns why an address is refused ("loopback", "private", …) or null when it is public. */
export function blockedAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid address";
  let parsed = ipaddr.parse(address);
  parsed = embeddedIPv4(parsed) ?? parsed;
  const range = parsed.range();
  if (parsed.kind() === "ipv4") return BLOCKED_V4_RANGES.has(range) ? range : null;
  // Site-local fec0::/10 is deprecated but still routed internally by some networks.
  if ((parsed as ipaddr.IPv6).match(ipaddr.IPv6.parse("fec0::"), 10)) return "siteLocal";
  return BLOCKED_V6_RANGES.has(range) ? range : null;
}
