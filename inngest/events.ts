// Event names and payloads exchanged between the webhook front door, the UI and run-workflow.

/** Asks for one run of a flow. Sent with `id = deliveryId` (or the run id for manual runs) so a re-send starts nothing. */
export const RUN_REQUESTED = "switchyard/run.requested";

export interface RunRequestedData {
  runId: string;
  flowId: string;
  flowVersionId: string;
  deliveryId: string | null;
}
