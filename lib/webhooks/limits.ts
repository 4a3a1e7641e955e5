/** Default body limit of an endpoint, and the most an endpoint may be configured to accept. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const MAX_BODY_BYTES_LIMIT = 10 * 1024 * 1024;
