// The four trigger kinds differ only in presentation: their endpoint settings (auth, preset,
// dedupe) live on the Endpoint row, and at run time they output the trigger payload.
import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import type { TriggerKind } from "../node-kinds";
import { NO_RETRY_POLICY } from "./retry-policy";

export const triggerConfigSchema = z.object({
  note: z.string().max(500).default("").describe("Notes for your team (optional)"),
});

export function defineTrigger(kind: TriggerKind, title: string, description: string, icon: string, summary: string) {
  return defineNode({
    kind,
    title,
    description,
    category: "triggers",
    icon,
    isTrigger: true,
    configSchema: triggerConfigSchema,
    outputPorts: SINGLE_OUTPUT,
    defaultRetry: NO_RETRY_POLICY,
    summarize: (config) => config.note || summary,
    fieldSyntax: { note: "literal" },
  });
}
