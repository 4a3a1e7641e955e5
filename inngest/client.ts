// The Inngest client every function and sender shares. Which server it talks to (the embedded
// engine, a Dev Server, self-hosted Inngest or Inngest Cloud) is decided by configuration only.
import { Inngest } from "inngest";

export const inngest = new Inngest({ id: "switchyard" });
