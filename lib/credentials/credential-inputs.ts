// Request bodies of the credentials API (also the source of their OpenAPI schemas).
import { z } from "zod";
import { CREDENTIAL_TYPES } from "./credential-types";

const credentialType = z.enum(CREDENTIAL_TYPES as [string, ...string[]]);

export const createCredentialInput = z.object({ name: z.string(), type: credentialType, data: z.unknown() });
export const updateCredentialInput = z.object({ name: z.string().optional(), data: z.unknown().optional() });
export const listCredentialsQuery = z.object({ type: credentialType.optional() });
