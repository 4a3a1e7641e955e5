// Security headers of the app's responses (OWASP ASVS 14.4). HTML pages get a Content-Security-Policy
// with a per-request nonce (Next.js adds it to its own scripts, read from the request's CSP header);
// every response gets nosniff, a same-origin Referrer-Policy and no framing; HSTS when the app is
// served over https (PUBLIC_URL).

/** The CSP of one HTML response. Development needs 'unsafe-eval' (React's dev tooling); production never. */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // React Flow and the charts position elements with style attributes, which nonces cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Headers for every response the app sends (pages, API, assets). */
export function baseSecurityHeaders(publicUrl: string): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    // Not "no-referrer": browsers then send `Origin: null` on same-origin POSTs, which CSRF checks refuse.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (publicUrl.startsWith("https://")) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/**
 * Headers of the webhook fast path's answers (served without Next.js), lower-cased so a flow's own
 * Respond headers replace them instead of being sent twice. `json`: our JSON answers, under a CSP
 * that lets nothing load or frame them. `flowBody`: a body a Respond node chose (it may be HTML
 * that echoes the sender's input), sandboxed — an opaque origin without scripts, so nothing in it
 * can act as the app on its origin — unless the flow sets a Content-Security-Policy of its own.
 */
export function webhookSecurityHeaders(publicUrl: string): { json: Record<string, string>; flowBody: Record<string, string> } {
  const base = Object.fromEntries(Object.entries(baseSecurityHeaders(publicUrl)).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    json: { ...base, "content-security-policy": "default-src 'none'; frame-ancestors 'none'" },
    flowBody: { ...base, "content-security-policy": "sandbox" },
  };
}
