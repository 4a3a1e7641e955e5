// Every Inngest function the app serves at /api/inngest. The embedded engine learns them
// from the serve endpoint, never from a second list.
import type { InngestFunction } from "inngest";
import { runWorkflow } from "./run-workflow";

export const functions: InngestFunction.Any[] = [runWorkflow];
