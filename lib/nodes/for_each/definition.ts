import { z } from "zod";
import { defineNode } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

/**
 * Items in flight at once. Default 1: items run in order, one after another, as n8n's Loop Over
 * Items and Make's iterator do, so a rate-limited API downstream is not hit by a burst.
 */
export const FOR_EACH_DEFAULT_CONCURRENCY = 1;
export const FOR_EACH_MAX_CONCURRENCY = 20;
/**
 * Default 100: each item's steps are durable steps of their own and an Inngest run allows 1,000
 * steps, so a one-step item branch fits about 940 items; publish checks the estimate (validate-flow.ts).
 */
export const FOR_EACH_DEFAULT_MAX_ITEMS = 100;
export const FOR_EACH_MAX_ITEMS_LIMIT = 1000;

export const forEachConfigSchema = z.object({
  items: z.string().trim().min(1, "Say which array to loop over, e.g. {{ trigger.body.items }}").describe("The array to loop over, e.g. {{ trigger.body.items }}"),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(FOR_EACH_MAX_CONCURRENCY)
    .default(FOR_EACH_DEFAULT_CONCURRENCY)
    .describe("Items in flight at once (1: one after another, in order)"),
  maxItems: z
    .number()
    .int()
    .min(1)
    .max(FOR_EACH_MAX_ITEMS_LIMIT)
    .default(FOR_EACH_DEFAULT_MAX_ITEMS)
    .describe("Most items per run (more fails the step, with the count)"),
});

export type ForEachConfig = z.output<typeof forEachConfigSchema>;

export const forEachDefinition = defineNode({
  kind: "for_each",
  title: "For each",
  description: "Run the steps after “Each item” once per item of an array, then continue from “Done” with every item's result.",
  category: "logic",
  icon: "Repeat",
  isTrigger: false,
  hasEffects: false,
  // The loop itself is run by lib/runs/execute-loop.ts (see `loop`), never inline.
  pure: false,
  pauses: false,
  configSchema: forEachConfigSchema,
  outputPorts: () => ["item", "done"],
  fallbackPorts: () => ["item", "done"],
  portLabels: { item: "Each item", done: "Done" },
  // A finished loop's stored output is its results: a "retry failed" replay continues from "Done".
  portsFromOutput: () => ["done"],
  loop: { itemPort: "item", donePort: "done" },
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) => `Each of ${config.items}${config.concurrency > 1 ? ` · ${config.concurrency} at a time` : ""}`,
  // After "Done": one result per item, in item order.
  outputExample: () => [],
});
