// What the API key endpoints answer, defined once (never a stored key: only its prefix). Client-safe: zod only.
import { z } from "zod";
import { timestamp } from "@/lib/api/timestamp";

/** Each entry of GET /api-keys. */
export const apiKeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  expiresAt: timestamp.nullable(),
  createdBy: z.string(),
});
export type ApiKeyListItem = z.output<typeof apiKeySummarySchema>;

export const apiKeyListSchema = z.object({ apiKeys: z.array(apiKeySummarySchema) });

/** POST /api-keys: the key itself, answered this once. */
export const createdApiKeySchema = z.object({ key: z.string(), apiKey: apiKeySummarySchema });
