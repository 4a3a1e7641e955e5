// State that must exist once per Node process. server.ts loads the app's modules itself, and the
// routes Next.js bundles load their own copies of the same modules, so a module-level variable
// would exist once per copy: two database pools (and two embedded servers), a live feed the hook
// handler publishes to and the listen route never hears, a relay the routes cannot wake. Each such
// value therefore lives in a named slot on globalThis, and every slot is listed here.
export type ProcessSlotName =
  | "database" // lib/db: the process database (and the embedded server it started)
  | "auth" // lib/auth/auth.ts: Better Auth bound to that database
  | "secretBox" // lib/crypto/secret-box.ts: the master key's cipher
  | "healthProbes" // lib/health/check-health.ts: probes components registered
  | "outboxKickers" // lib/outbox/kick.ts: running relays the webhook fast path wakes
  | "schedulesChangedListeners" // lib/schedules/schedules-changed.ts: run hosts that re-sync when scheduled flows change
  | "deliveryFeed" // lib/webhooks/deliveries/delivery-feed.ts: "Listen for test event" subscribers
  | "endpointCacheState" // lib/webhooks/ingress/endpoint-cache.ts: the generation that invalidates every copy's cache
  | "codeSandbox" // lib/code-sandbox/run-code.ts: the worker threads that run code steps (one pool, not one per copy)
  | "engineKeys" // inngest/local/embedded-config.ts: the embedded engine's event and signing keys
  | "inProcessEngines"; // inngest/local/embedded-config.ts: engines the SDK client reaches without a socket

/** A value shared by every copy of the module that asks for it; `value` is undefined until set. */
export interface ProcessSlot<T> {
  value: T | undefined;
}

const slots = ((globalThis as { __switchyardProcessSlots?: Map<ProcessSlotName, ProcessSlot<unknown>> }).__switchyardProcessSlots ??= new Map());

/** The slot `name`: the same object for every copy of every module in this process. */
export function processSlot<T>(name: ProcessSlotName): ProcessSlot<T> {
  let slot = slots.get(name);
  if (!slot) slots.set(name, (slot = { value: undefined }));
  return slot as ProcessSlot<T>;
}

/** The value in slot `name`, made by `create` the first time any copy asks. */
export function processSingleton<T>(name: ProcessSlotName, create: () => T): T {
  const slot = processSlot<T>(name);
  return (slot.value ??= create());
}

export interface ProcessSignal {
  /** Calls `listener` on every raise until the returned function is called. */
  listen(listener: () => void): () => void;
  raise(): void;
}

/** A signal in slot `name`: every copy of a module raises to, and listens on, the same listeners. */
export function processSignal(name: ProcessSlotName): ProcessSignal {
  const listeners = processSingleton(name, () => new Set<() => void>());
  return {
    listen(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    raise() {
      for (const listener of listeners) listener();
    },
  };
}
