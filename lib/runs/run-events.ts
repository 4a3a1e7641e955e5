// The events Switchyard sends to the engine, with their payloads: run requests from the webhook
// front door, the API and the UI, and the events waiting runs resume or cancel on. Here in lib/
// (not inngest/) because the domain modules that send them must not depend on the engine's code.

/** Asks for one run of a flow. Sent with `id = deliveryId` (or the run id for manual runs) so a re-send starts nothing. */
export const RUN_REQUESTED = "switchyard/run.requested";

export interface RunRequestedData {
  runId: string;
  flowId: string;
  flowVersionId: string;
  deliveryId: string | null;
}

/** A user-defined event for "Wait for event" nodes. */
export const FLOW_EVENT = "switchyard/flow.event";
export interface FlowEventData {
  workspaceId: string;
  /** The name the node waits for, e.g. "order.shipped". */
  name: string;
  /** Matches the node's correlation key (e.g. an order id). */
  correlationKey: string;
  payload: unknown;
}

/** Approve/reject of a waiting approval node (from the run log). */
export const APPROVAL_DECIDED = "switchyard/approval.decided";
export interface ApprovalDecidedData {
  workspaceId: string;
  runId: string;
  nodeId: string;
  decision: "approve" | "reject";
  decidedBy: string | null;
  comment: string;
}

/** Cancels a queued/running/waiting run (run-workflow's cancelOn). */
export const RUN_CANCEL_REQUESTED = "switchyard/run.cancel-requested";
export interface RunCancelRequestedData {
  runId: string;
  workspaceId: string;
}

/** A CEL string literal (Inngest `if` expressions). */
export function celString(value: string): string {
  return JSON.stringify(value);
}
