import { z } from "zod";

/** What a replay request may ask for (single and bulk replay share it). */
export const replayInput = z.object({
  mode: z.enum(["full", "failed-only"]).default("full"),
  version: z.enum(["original", "current"]).default("original"),
});
