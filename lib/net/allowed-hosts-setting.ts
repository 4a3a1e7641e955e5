// The one name of the workspace setting that opens internal addresses to flows: the Settings page
// labels its field with it, the inspector links to it and a refused run's error points at it. Client-safe.
export const ALLOWED_HOSTS_SETTING = {
  label: "Allowed internal hosts",
  /** Where to find it, as the run error and the inspector say it. */
  place: "Settings → Workspace → Allowed internal hosts",
  /** The field's id on the Settings page, and the link to it. */
  anchor: "allowed-internal-hosts",
  href: "/settings#allowed-internal-hosts",
} as const;

/** "loopback" → "a loopback address": the kinds of address the SSRF guard refuses, said plainly. */
export function describeBlockedRange(reason: string): string {
  const names: Record<string, string> = {
    loopback: "a loopback address (this machine)",
    private: "a private-network address",
    linkLocal: "a link-local address (cloud metadata lives there)",
    uniqueLocal: "a private-network (unique local) address",
    carrierGradeNat: "a carrier-grade NAT address",
    unspecified: "an unspecified address",
    siteLocal: "a site-local address",
  };
  return names[reason] ?? `a reserved address (${reason})`;
}
