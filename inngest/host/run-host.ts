// Where runs execute: the embedded engine, the SDK serve handler its calls reach, and the outbox
// relay that hands it the run requests stored with each accepted webhook. By default they run in a
// worker process of their own at a lower CPU priority, so executing runs cannot slow down
// acknowledging webhooks; SWITCHYARD_ENGINE_PROCESS=inline keeps them in the app process.
import { embeddedEngineEnabled } from "@/inngest/local";
import { engineProcessMode, type RunHost, type RunHostOptions } from "./host-options";
import { startRunsInProcess } from "./in-process";
import { startRunsInWorkerProcess } from "./worker-process";

/** Starts run execution where SWITCHYARD_ENGINE_PROCESS and the database say. */
export async function startRunHost(options: RunHostOptions): Promise<RunHost> {
  // With a real Inngest server configured there is no engine to move: only the relay and the serve handler run here.
  if (embeddedEngineEnabled() && engineProcessMode() === "worker") return startRunsInWorkerProcess(options);
  return startRunsInProcess(options);
}
