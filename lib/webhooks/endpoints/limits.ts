/** Default body limit of an endpoint, and the most an endpoint may be configured to accept. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const MAX_BODY_BYTES_LIMIT = 10 * 1024 * 1024;

/** Bytes of a refused request's body that are stored (sizeBytes keeps the size as received). */
export const REFUSED_BODY_KEPT_BYTES = 4096;
/** Characters of a refused request's headers, and of its query, that are stored (names and values). */
export const REFUSED_FIELDS_KEPT_CHARS = 4096;
/** Refused requests stored per endpoint and minute, per app process; the rest are counted on the endpoint. */
export const REFUSALS_STORED_PER_MINUTE = 30;
