// The client address Better Auth keys its sign-in rate limit on: the socket's peer, or — only when
// that peer is in TRUSTED_PROXIES — the X-Forwarded-For hop the proxies vouch for (the webhook
// path's rule). server.ts stamps it on every request it hands to Next, replacing whatever the
// client sent under that name, so a forged X-Forwarded-For cannot pick a fresh rate-limit bucket.
import type { IncomingMessage } from "node:http";
import { parseCidrList, resolveClientIp, trustedProxiesFromEnv, type CidrRange } from "@/lib/webhooks/ingress/client-ip";

export const CLIENT_ADDRESS_HEADER = "x-switchyard-client-address";

let trusted: { raw: string; ranges: CidrRange[] } | undefined;
function trustedProxies(): CidrRange[] {
  const raw = trustedProxiesFromEnv().join(",");
  if (trusted?.raw !== raw) trusted = { raw, ranges: parseCidrList(trustedProxiesFromEnv()) };
  return trusted.ranges;
}

/** Sets CLIENT_ADDRESS_HEADER on a request from the socket (and trusted proxies' X-Forwarded-For). */
export function stampClientAddress(req: IncomingMessage, proxies: CidrRange[] = trustedProxies()): void {
  const address = resolveClientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], proxies);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete req.headers[CLIENT_ADDRESS_HEADER];
}
