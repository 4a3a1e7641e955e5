// Endpoint URL tokens and generated secrets.
import { randomBytes } from "node:crypto";

/** An endpoint token: 192 random bits, URL-safe (base64url, 32 characters). */
export function createEndpointToken(): string {
  return randomBytes(24).toString("base64url");
}

/** A generated signing secret in the Standard Webhooks format (`whsec_` + base64 of 32 bytes). */
export function createSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** A generated shared token for header/bearer/basic schemes (URL- and header-safe). */
export function createSharedToken(): string {
  return randomBytes(32).toString("base64url");
}
