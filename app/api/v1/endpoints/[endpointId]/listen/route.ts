// GET /api/v1/endpoints/:endpointId/listen – "Listen for a test event": Server-Sent Events, one per stored delivery
import { apiRoute } from "@/lib/api/route";
import { subscribeToDeliveries } from "@/lib/webhooks/deliveries/delivery-feed";
import { getEndpoint } from "@/lib/webhooks/endpoints/manage-endpoints";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ endpointId: string }>("read", async ({ req, caller, db, params }) => {
  const endpoint = await getEndpoint(db.prisma, caller.workspaceId, params.endpointId); // 404 for other workspaces
  const encoder = new TextEncoder();
  let unsubscribe = () => {};
  let heartbeat: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          unsubscribe();
        }
      };
      send(`event: ready\ndata: ${JSON.stringify({ endpointId: endpoint.id, url: endpoint.url })}\n\n`);
      unsubscribe = subscribeToDeliveries(endpoint.id, (item) => send(`event: delivery\ndata: ${JSON.stringify(item)}\n\n`));
      // Comments keep proxies from closing an idle stream.
      heartbeat = setInterval(() => send(": keep-alive\n\n"), 15_000);
      req.signal.addEventListener("abort", () => {
        clearInterval(heartbeat);
        unsubscribe();
        controller.close();
      });
    },
    cancel() {
      clearInterval(heartbeat);
      unsubscribe();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" } });
});
