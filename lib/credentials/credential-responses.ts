// What the credential API answers, defined once (never a secret): the OpenAPI document describes
// it and client components check answers with it. Client-safe: zod only.
import { z } from "zod";
import { timestamp } from "@/lib/api/timestamp";
import { CREDENTIAL_TYPES } from "./credential-types";

/** POST /credentials, PATCH /credentials/:id, and each entry of GET /credentials. */
export const credentialSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(CREDENTIAL_TYPES),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type CredentialListItem = z.output<typeof credentialSummarySchema>;

export const credentialListSchema = z.object({ credentials: z.array(credentialSummarySchema) });
