// Messages between the sandbox pool (parent thread) and a sandbox worker thread.
import { z } from "zod";
import { codeResultSchema, syntaxCheckSchema } from "./code-result";

const limitsSchema = z.object({ timeoutMs: z.number().positive(), memoryBytes: z.number().int().positive() });

export const toWorkerSchema = z.discriminatedUnion("type", [
  z.object({
    id: z.number(),
    type: z.literal("run"),
    request: z.object({ source: z.string(), names: z.array(z.string()), valuesJson: z.string(), limits: limitsSchema }),
  }),
  z.object({ id: z.number(), type: z.literal("check"), source: z.string(), names: z.array(z.string()) }),
]);
export type ToWorker = z.infer<typeof toWorkerSchema>;

export const fromWorkerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  // `retiring`: the thread's QuickJS is no longer trustworthy; it exits after this reply and gets no more requests.
  z.object({ id: z.number(), type: z.literal("run"), result: codeResultSchema, retiring: z.boolean().optional() }),
  z.object({ id: z.number(), type: z.literal("check"), result: syntaxCheckSchema, retiring: z.boolean().optional() }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;
