import { EventEmitter } from "node:events";
import { processSingleton } from "@/lib/process-singletons";

import type { DeliveryFeedItem } from "./delivery-responses";

export type { DeliveryFeedItem };

// In-process live feed, one per process: the hook handler (server.ts) publishes, the listen route (Next) subscribes.
const feed = processSingleton("deliveryFeed", () => new EventEmitter().setMaxListeners(0));

/** Calls `listener` for every stored delivery of one endpoint until the returned function is called. */
export function subscribeToDeliveries(endpointId: string, listener: (item: DeliveryFeedItem) => void): () => void {
  feed.on(endpointId, listener);
  return () => feed.off(endpointId, listener);
}

/** Whether someone has "Listen for test event" open on this endpoint (its test URL works only then). */
export function isListening(endpointId: string): boolean {
  return feed.listenerCount(endpointId) > 0;
}

export function publishDelivery(item: DeliveryFeedItem): void {
  if (feed.listenerCount(item.endpointId) > 0) feed.emit(item.endpointId, item);
}
