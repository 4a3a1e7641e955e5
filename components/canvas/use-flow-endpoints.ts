"use client";

// Loads the flow's webhook endpoints into the editor store: the trigger inspector edits them and
// trigger nodes show their security summary. Endpoints are created when a draft with a trigger is
// saved, so they are read again after every save.
import { useEffect } from "react";
import { z } from "zod";
import { apiFetch } from "@/lib/api/client";
import { endpointViewSchema } from "@/lib/webhooks/endpoints/endpoint-input";
import { useEditor } from "./editor-context";

const listSchema = z.object({ endpoints: z.array(endpointViewSchema) });

export function useFlowEndpoints(): void {
  const flowId = useEditor((state) => state.flowId);
  const revision = useEditor((state) => state.revision);
  const setEndpoints = useEditor((state) => state.setEndpoints);
  const setHint = useEditor((state) => state.setHint);

  useEffect(() => {
    let cancelled = false;
    void apiFetch<unknown>(`/api/v1/endpoints?flowId=${encodeURIComponent(flowId)}`).then((result) => {
      if (cancelled) return;
      if (!result.ok) return setHint(`Could not load the webhook settings: ${result.error.message}`);
      const parsed = listSchema.safeParse(result.data);
      if (!parsed.success) return setHint("Could not read the webhook settings the server sent; reload the page.");
      setEndpoints(parsed.data.endpoints);
    });
    return () => {
      cancelled = true;
    };
  }, [flowId, revision, setEndpoints, setHint]);
}
