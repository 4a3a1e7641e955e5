import { Badge } from "@/components/ui/badge";

const TONE = { draft: "gray", active: "green", paused: "amber" } as const;

export function FlowStatusBadge({ status }: { status: "draft" | "active" | "paused" }) {
  return <Badge tone={TONE[status]}>{status[0].toUpperCase() + status.slice(1)}</Badge>;
}
