// The Inngest client every function and sender shares. Which server it talks to (the embedded
// engine, a Dev Server, self-hosted Inngest or Inngest Cloud) is decided by configuration only:
// with none of the SDK's variables (INNGEST_DEV, INNGEST_BASE_URL, INNGEST_EVENT_KEY +
// INNGEST_SIGNING_KEY) it talks to the embedded engine of this process (inngest/local).
import { Inngest } from "inngest";
import { embeddedClientOptions, embeddedEngineEnabled } from "@/inngest/local/embedded-config";

export const inngest = new Inngest({
  id: "switchyard",
  ...(embeddedEngineEnabled() ? embeddedClientOptions() : {}),
});
