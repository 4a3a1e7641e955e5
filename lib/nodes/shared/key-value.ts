// Key-value list fields (headers, query parameters, form fields). Client-safe.
import { z } from "zod";

export const keyValueListSchema = (what: string) =>
  z
    .array(z.object({ name: z.string().min(1, `${what} name is required`).describe("Name"), value: z.string().default("").describe("Value (expressions allowed)") }))
    .default([])
    .describe(what + "s");

export type KeyValueList = { name: string; value: unknown }[];
