// How the run log shows a for_each loop: one entry per node of the item branch with counts
// ("37 items · 35 succeeded · 2 failed") and each item's status on request, not a flat list of
// thousands of attempts. Client-safe.
import { groupAttempts, type AttemptGroup, type AttemptLike } from "./group-attempts";

export interface ItemRowLike extends AttemptLike {
  itemIndex: number | null;
}

export interface ItemView<T extends ItemRowLike> {
  index: number;
  /** The item's outcome over the nodes shown: failed, retrying, running or waiting win over succeeded. */
  status: string;
  /** Per node, its attempts for this item, grouped as the run log groups attempts. */
  groups: AttemptGroup<T>[];
}

export interface ItemsSummary<T extends ItemRowLike> {
  /** Items the loop has (known from its input), else those with rows. */
  total: number;
  items: ItemView<T>[];
  counts: Record<string, number>;
}

const PRECEDENCE = ["failed", "retrying", "running", "waiting", "cancelled", "succeeded", "skipped"];

/** The items of `rows` (item rows of one or more nodes of an item branch), in item order. */
export function summarizeItems<T extends ItemRowLike>(rows: readonly T[], runInFlight: boolean, knownTotal?: number): ItemsSummary<T> {
  const byItem = new Map<number, T[]>();
  for (const row of rows) {
    if (row.itemIndex === null) continue;
    byItem.set(row.itemIndex, [...(byItem.get(row.itemIndex) ?? []), row]);
  }
  const items = [...byItem.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, itemRows]) => {
      const groups = groupAttempts(itemRows, runInFlight);
      // Each node's latest outcome counts: a failed attempt that was retried and succeeded does not fail the item.
      const latest = new Map(groups.map((group) => [group.nodeId, group.status]));
      const status = [...latest.values()].sort((a, b) => rank(a) - rank(b))[0] ?? "succeeded";
      return { index, status, groups };
    });
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.status] = (counts[item.status] ?? 0) + 1;
  const seen = items.length ? items[items.length - 1].index + 1 : 0;
  return { total: Math.max(knownTotal ?? 0, seen, items.length), items, counts };
}

function rank(status: string): number {
  const position = PRECEDENCE.indexOf(status);
  return position === -1 ? PRECEDENCE.length : position;
}

/** "37 items · 35 succeeded · 2 failed"; items without a row yet are "not started". */
export function describeItems(summary: Pick<ItemsSummary<ItemRowLike>, "total" | "items" | "counts">): string {
  const parts = [`${summary.total} item${summary.total === 1 ? "" : "s"}`];
  for (const status of ["succeeded", "failed", "retrying", "running", "waiting", "cancelled", "skipped"]) {
    if (summary.counts[status]) parts.push(`${summary.counts[status]} ${status}`);
  }
  const notStarted = summary.total - summary.items.length;
  if (notStarted > 0) parts.push(`${notStarted} not started`);
  return parts.join(" · ");
}

/** How many items a loop's step row says it has: its recorded input's `items` when that is an array. */
export function loopItemCount(loopRow: { input: unknown } | undefined): number | undefined {
  const items = (loopRow?.input as { items?: unknown } | null | undefined)?.items;
  return Array.isArray(items) ? items.length : undefined;
}

/** The status a node shows on the run canvas for its items: anything still going, else any failure, else succeeded. */
export function itemsStatus(summary: ItemsSummary<ItemRowLike>): string {
  for (const status of ["retrying", "running", "waiting", "failed"]) if (summary.counts[status]) return status;
  return summary.items.length ? "succeeded" : "skipped";
}
