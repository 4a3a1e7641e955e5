// Inputs of the flow API (also the source of its OpenAPI document).
import { z } from "zod";
import { flowSettingsSchema } from "./flow-settings";
import { flowGraphSchema } from "./graph";

export const flowStatusSchema = z.enum(["draft", "active", "paused"]);

export const createFlowInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(120),
  description: z.string().max(2000).default(""),
  graph: flowGraphSchema.optional(),
});

export const updateFlowInput = z
  .object({
    name: z.string().trim().min(1, "Name is required").max(120).optional(),
    description: z.string().max(2000).optional(),
    graph: flowGraphSchema.optional(),
    /** Per-flow settings (failure alerts); replaces the stored settings. */
    settings: flowSettingsSchema.optional(),
    /** The draftRevision the client last saw; a stale one is refused with 409 instead of overwriting. */
    revision: z.number().int().min(0).optional(),
  })
  .refine((v) => v.graph === undefined || v.revision !== undefined, {
    message: "revision is required when saving the graph (send the draftRevision you loaded)",
    path: ["revision"],
  });

export const listFlowsQuery = z.object({
  status: flowStatusSchema.optional(),
  q: z.string().trim().max(200).optional(),
});

export const publishFlowInput = z.object({ note: z.string().max(500).optional() });

export type CreateFlowInput = z.infer<typeof createFlowInput>;
export type UpdateFlowInput = z.infer<typeof updateFlowInput>;
