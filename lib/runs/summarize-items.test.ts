import { describe, expect, it } from "vitest";
import { describeItems, loopItemCount, summarizeItems } from "./summarize-items";

const row = (nodeId: string, itemIndex: number, status: string, attempt = 1, nextRetryAt: string | null = null) => ({
  nodeId,
  itemIndex,
  attempt,
  status,
  error: status === "failed" ? { message: "answered HTTP 503" } : null,
  nextRetryAt,
});

describe("summarizeItems", () => {
  it("counts each item once by its worst latest outcome over the nodes shown, and items without rows as not started", () => {
    const rows = [
      row("shape", 0, "succeeded"),
      row("call", 0, "succeeded"),
      row("shape", 1, "succeeded"),
      row("call", 1, "failed"),
      // Retried and then succeeded: the item succeeded.
      row("shape", 2, "succeeded"),
      row("call", 2, "failed"),
      row("call", 2, "succeeded", 2),
    ];
    const summary = summarizeItems(rows, false, 5);
    expect(summary.items.map((item) => [item.index, item.status])).toEqual([
      [0, "succeeded"],
      [1, "failed"],
      [2, "succeeded"],
    ]);
    expect(describeItems(summary)).toBe("5 items · 2 succeeded · 1 failed · 2 not started");
  });

  it("shows a failed attempt with a retry to come as retrying while the run is in flight", () => {
    const summary = summarizeItems([row("call", 0, "failed", 1, "2026-01-01T00:00:10.000Z")], true, 1);
    expect(describeItems(summary)).toBe("1 item · 1 retrying");
  });

  it("reads the item count from the loop's recorded input", () => {
    expect(loopItemCount({ input: { items: [1, 2, 3], concurrency: 1 } })).toBe(3);
    expect(loopItemCount({ input: { items: "[truncated]" } })).toBeUndefined();
  });
});
