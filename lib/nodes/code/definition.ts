import { z } from "zod";
import { defineNode, SINGLE_OUTPUT } from "../node-definition";
import { NO_RETRY_POLICY } from "../shared/retry-policy";

/** What the code sees, as the parameters of the async function its source is the body of (item and itemIndex are null outside a for_each item branch). */
export const CODE_VARIABLES = ["trigger", "steps", "run", "item", "itemIndex"];

export const STARTER_CODE = `// trigger, steps and run hold this run's data. Return the output.
const body = trigger.body;
console.log("received", body);
return { received: body };
`;

export const codeConfigSchema = z.object({
  source: z
    .string()
    .default(STARTER_CODE)
    .refine((source) => source.trim().length > 0, "Write the code")
    .refine((source) => source.length <= 100_000, "Code is limited to 100,000 characters")
    .describe("JavaScript (ES2023), run as the body of an async function: read trigger, steps and run (and item, itemIndex inside a loop), console.log to the run log, return the output"),
});

export type CodeConfig = z.output<typeof codeConfigSchema>;

export const codeDefinition = defineNode({
  kind: "code",
  title: "Code",
  description: "Run JavaScript in a sandbox: compute anything from the trigger and earlier steps, return the output.",
  category: "data",
  icon: "Code",
  isTrigger: false,
  // No network, files or timers in the sandbox: code only computes. Not pure: it may read the clock or Math.random.
  hasEffects: false,
  pure: false,
  pauses: false,
  configSchema: codeConfigSchema,
  outputPorts: SINGLE_OUTPUT,
  defaultRetry: NO_RETRY_POLICY,
  summarize: (config) => {
    const first = config.source.split("\n").map((line) => line.trim()).find((line) => line && !line.startsWith("//"));
    return first ? first.slice(0, 60) : "JavaScript";
  },
  fieldSyntax: { source: "javascript" },
});
