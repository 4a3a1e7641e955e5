// Every form in which a secret can reach a run log: as typed, URL- and form-encoded, JSON-escaped,
// base64 (HTTP Basic, SMTP AUTH), and for URLs the parts that carry the token. The run log scrubs
// all of them, not only the secret as typed.

/** Shorter strings are not scrubbed: they would blank out ordinary words. */
export const MIN_SECRET_CHARS = 4;

/** The secret and the encodings of it that requests, responses and error messages carry. */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_CHARS) return [];
  const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1), ...base64Forms(secret)];
  for (const part of urlSecretParts(secret)) forms.push(part, encodeURIComponent(part));
  return forms;
}

/** base64 as sent (padded), without padding, and base64url. */
export function base64Forms(text: string): string[] {
  const bytes = Buffer.from(text);
  const padded = bytes.toString("base64");
  return [padded, padded.replace(/=+$/, ""), bytes.toString("base64url")];
}

/**
 * The parts of an http(s) URL that carry its secret: the URL as the runtime writes it, its
 * password, its path with query, random-looking path segments (Slack's, Discord's, Teams' tokens)
 * and query values.
 */
function urlSecretParts(text: string): string[] {
  if (!/^https?:\/\//i.test(text)) return [];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const parts = [url.href];
  if (url.password) parts.push(url.password, safeDecode(url.password));
  const pathAndQuery = `${url.pathname}${url.search}`;
  if (pathAndQuery.length >= 8) parts.push(pathAndQuery);
  for (const segment of url.pathname.split("/")) {
    const decoded = safeDecode(segment);
    if (decoded.length >= 16 && /\d/.test(decoded) && /[A-Za-z]/.test(decoded)) parts.push(decoded);
  }
  for (const value of url.searchParams.values()) if (value.length >= 8) parts.push(value);
  return parts.filter((part) => part.length >= MIN_SECRET_CHARS);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Distinct secrets, longest first: a whole URL or user:pass pair is replaced before a part of it. */
export function orderForScrubbing(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)].filter((secret) => secret.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
}
