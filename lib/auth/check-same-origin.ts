// CSRF defence for cookie-authenticated requests that change state: the browser must say the
// request comes from this app (Origin, or Sec-Fetch-Site when Origin is absent) and the body must
// be declared JSON, which no cross-site form or simple fetch can send without a CORS preflight.
import { ApiError } from "@/lib/api/errors";
import { trustedOrigins } from "./trusted-origins";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Throws a 403 when a state-changing session request did not come from this app as JSON. */
export function assertSameOriginJson(req: Request, allowedOrigins: string[] = trustedOrigins()): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const origin = req.headers.get("origin");
  const fetchSite = req.headers.get("sec-fetch-site");
  const sameOrigin = origin ? allowedOrigins.includes(origin) : fetchSite === "same-origin";
  if (!sameOrigin) {
    throw new ApiError(
      403,
      "cross_origin_request",
      origin
        ? `Requests from ${origin} may not change data with this session; use an API key, or add the origin to TRUSTED_ORIGINS`
        : "A request that changes data with a session cookie must come from the Switchyard app (Origin header missing); use an API key for scripts",
    );
  }
  const mediaType = req.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new ApiError(415, "unsupported_media_type", "Requests that change data must send Content-Type: application/json");
  }
}
