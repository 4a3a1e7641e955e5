"use client";

// Loads the flow's webhook endpoints into the editor store: the trigger inspector edits them and
// trigger nodes show their security summary. Endpoints are created when a draft with a trigger is
// saved, so they are read again after every save.
import { useApi } from "@/lib/api/use-api";
import { endpointListSchema } from "@/lib/webhooks/endpoints/endpoint-input";
import { useEditor } from "./editor-context";

export function useFlowEndpoints(): void {
  const flowId = useEditor((state) => state.flowId);
  const revision = useEditor((state) => state.revision);
  const setEndpoints = useEditor((state) => state.setEndpoints);
  const setHint = useEditor((state) => state.setHint);
  const path = `/api/v1/endpoints?flowId=${encodeURIComponent(flowId)}`;
  // The draft revision is part of the cache key only: each save may create or remove endpoints.
  useApi(`${path}#revision=${revision}`, endpointListSchema, {
    urlAtFetch: () => path,
    onSuccess: (list) => setEndpoints(list.endpoints),
    onError: (error) => setHint(`Could not load the webhook settings: ${error.message}`),
  });
}
