// The SDK serve handler for the app's functions; server.ts (through inngest/host) mounts it at
// /api/inngest. Inngest (embedded engine or real) calls it to sync the functions and to run every
// step. The function list includes one cron function per scheduled flow, so it is rebuilt from the
// database on every sync (PUT) and when a call names a function this process does not know yet
// (a flow scheduled since); step calls of known functions never touch the database for it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { serve as serveFetch } from "inngest/edge";
import { serve } from "inngest/node";
import { inngest } from "@/inngest/client";
import { currentFunctions } from "@/inngest/functions";
import type { Database } from "@/lib/db/client";

export interface AppServeHandlers {
  /** For node:http requests to /api/inngest. */
  node(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The same for fetch Requests made inside this process: the embedded engine calls it without HTTP. */
  fetch(request: Request): Promise<Response>;
}

interface Served {
  ids: Set<string>;
  node: ReturnType<typeof serve>;
  fetch: ReturnType<typeof serveFetch>;
}

export function createServeHandlers(db: Database): AppServeHandlers {
  let served: Promise<Served> | null = null;
  const reload = (): Promise<Served> => {
    const next = currentFunctions(inngest, db).then((functions) => ({
      ids: new Set(functions.map((fn) => fn.id(inngest.id))),
      node: serve({ client: inngest, functions }),
      fetch: serveFetch({ client: inngest, functions }),
    }));
    served = next;
    next.catch(() => {
      if (served === next) served = null; // the next request tries again
    });
    return next;
  };
  const handlersFor = async (method: string, url: URL): Promise<Served> => {
    if (method === "PUT" || !served) return reload();
    const current = await served;
    const fnId = url.searchParams.get("fnId");
    return fnId && !current.ids.has(fnId) ? reload() : current;
  };
  return {
    async node(req, res) {
      const handlers = await handlersFor(req.method ?? "GET", new URL(req.url ?? "/", "http://localhost"));
      await handlers.node(req, res);
    },
    async fetch(request) {
      const handlers = await handlersFor(request.method, new URL(request.url));
      return handlers.fetch(request);
    },
  };
}
