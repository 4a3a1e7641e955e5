// The four HTTP trigger kinds differ only in presentation: their endpoint settings (auth, preset,
// dedupe) live on the Endpoint row, and at run time they output the trigger payload.
import { z } from "zod";
import { defineNode, SINGLE_OUTPUT, type NodeDefinition } from "../node-definition";
import { NO_RETRY_POLICY } from "./retry-policy";

export const triggerConfigSchema = z.object({
  note: z.string().max(500).default("").describe("Notes for your team (optional)"),
});

type TriggerPresentation<Kind extends string> = Pick<NodeDefinition<Kind>, "kind" | "title" | "description" | "icon"> & {
  /** Canvas summary while the note is empty. */
  summary: string;
  sampleRequest: NonNullable<NodeDefinition["sampleRequest"]>;
};

export function defineTrigger<Kind extends string>({ summary, ...presentation }: TriggerPresentation<Kind>) {
  return defineNode({
    ...presentation,
    category: "triggers",
    isTrigger: true,
    startedBy: "webhook",
    hasEffects: false,
    pure: false,
    pauses: false,
    configSchema: triggerConfigSchema,
    outputPorts: SINGLE_OUTPUT,
    defaultRetry: NO_RETRY_POLICY,
    summarize: (config) => config.note || summary,
    fieldSyntax: { note: "literal" },
  });
}
