export { guardedRequest, BlockedDestinationError, OutboundNetworkError, type OutboundRequest, type OutboundResponse } from "./guarded-request";
export { blockedAddressReason } from "./is-blocked-address";
export { HostAllowlist } from "./host-allowlist";
export { assertHostAllowed } from "./assert-host-allowed";
