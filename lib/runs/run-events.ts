// Events the runtime waits for, besides switchyard/run.requested (inngest/events.ts).

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
