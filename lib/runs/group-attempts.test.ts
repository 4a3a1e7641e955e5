import { describe, expect, it } from "vitest";
import { countdown, describeAttempts, groupAttempts, type AttemptLike } from "./group-attempts";

const failed503 = { message: "POST http://crm answered HTTP 503", code: "unexpected_status", status: 503 };
const step = (nodeId: string, attempt: number, status: string, error: AttemptLike["error"] = null, nextRetryAt: string | null = null): AttemptLike => ({ nodeId, attempt, status, error, nextRetryAt });

describe("groupAttempts", () => {
  it("shows identical repeated attempts once, and a different outcome separately", () => {
    const steps = [
      step("shape", 1, "succeeded"),
      step("crm", 1, "failed", failed503, "2026-01-01T00:00:01Z"),
      step("crm", 2, "failed", failed503, "2026-01-01T00:00:03Z"),
      step("crm", 3, "failed", { ...failed503, status: 502, message: "POST http://crm answered HTTP 502" }, "2026-01-01T00:00:07Z"),
      step("crm", 4, "succeeded"),
    ];
    const groups = groupAttempts(steps, false);
    expect(groups.map((group) => [group.nodeId, describeAttempts(group.attempts), group.status])).toEqual([
      ["shape", "attempt 1", "succeeded"],
      ["crm", "attempts 1–2", "failed"],
      ["crm", "attempt 3", "failed"],
      ["crm", "attempt 4", "succeeded"],
    ]);
  });

  it("calls a node retrying while its last failed attempt has a retry scheduled and the run goes on", () => {
    const steps = [step("crm", 1, "failed", failed503, "2026-01-01T00:01:00Z")];
    expect(groupAttempts(steps, true)[0]).toMatchObject({ status: "retrying", retryAt: "2026-01-01T00:01:00Z" });
    // Once the run ended (cancelled, or the retry never came) it is what it was: failed.
    expect(groupAttempts(steps, false)[0]).toMatchObject({ status: "failed", retryAt: null });
    expect(groupAttempts([step("crm", 1, "failed", failed503, null)], true)[0].status).toBe("failed");
  });
});

describe("countdown", () => {
  it("counts down in seconds, minutes and hours", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(countdown("2026-01-01T00:00:42Z", now)).toBe("in 42 s");
    expect(countdown("2026-01-01T00:03:05Z", now)).toBe("in 3 min 5 s");
    expect(countdown("2026-01-01T02:10:00Z", now)).toBe("in 2 h 10 min");
    expect(countdown("2025-12-31T23:59:59Z", now)).toBe("any moment now");
  });
});
