// The SDK serve handler for the app's functions; server.ts mounts it at /api/inngest. Inngest
// (embedded engine or real) calls it to sync the functions and to run every step.
import { serve as serveFetch } from "inngest/edge";
import { serve } from "inngest/node";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

export const inngestServeHandler = serve({ client: inngest, functions });

/** The same handler for fetch Requests made inside this process: the embedded engine calls it without HTTP. */
export const inngestFetchHandler = serveFetch({ client: inngest, functions });
