// The cron syntax Inngest accepts (robfig/cron, five fields, TZ= prefix, UTC by default) and the
// times it yields.
import { describe, expect, it } from "vitest";
import { cronWithTimezone, parseCron } from "./parse-cron";

const after = new Date("2026-11-27T20:00:30Z");
const times = (expression: string, count = 3) => parseCron(expression).nextTimes(count, after).map((d) => d.toISOString());

describe("parseCron", () => {
  it("reads the five fields in UTC without a prefix", () => {
    expect(times("* * * * *")).toEqual(["2026-11-27T20:01:00.000Z", "2026-11-27T20:02:00.000Z", "2026-11-27T20:03:00.000Z"]);
    expect(times("0 9 * * *", 2)).toEqual(["2026-11-28T09:00:00.000Z", "2026-11-29T09:00:00.000Z"]);
    expect(parseCron("0 9 * * *").timezone).toBe("UTC");
  });

  it("reads TZ= and CRON_TZ= prefixes, daylight saving included", () => {
    // Paris is UTC+1 in winter, UTC+2 from the last Sunday of March.
    expect(times("TZ=Europe/Paris 0 9 * * MON", 2)).toEqual(["2026-11-30T08:00:00.000Z", "2026-12-07T08:00:00.000Z"]);
    expect(parseCron("TZ=Europe/Paris 0 9 * * *").nextAfter(new Date("2027-04-01T00:00:00Z"))?.toISOString()).toBe("2027-04-01T07:00:00.000Z");
    expect(times("CRON_TZ=Asia/Kolkata 30 10 * * *", 1)).toEqual(["2026-11-28T05:00:00.000Z"]);
  });

  it("accepts robfig/cron's lists, ranges, steps, names and ?", () => {
    expect(times("5/15 * * * *")).toEqual(["2026-11-27T20:05:00.000Z", "2026-11-27T20:20:00.000Z", "2026-11-27T20:35:00.000Z"]);
    expect(times("0 12 * JAN-MAR mon-fri", 2)).toEqual(["2027-01-01T12:00:00.000Z", "2027-01-04T12:00:00.000Z"]);
    expect(times("0,30 8-9 ? * *", 2)).toEqual(["2026-11-28T08:00:00.000Z", "2026-11-28T08:30:00.000Z"]);
    // Day of month and day of week both set: either matches (as in robfig/cron and Vixie cron).
    expect(times("0 0 1 * 1", 2)).toEqual(["2026-11-30T00:00:00.000Z", "2026-12-01T00:00:00.000Z"]);
  });

  it("refuses what Inngest refuses, with the reason", () => {
    expect(() => parseCron("61 * * * *")).toThrow(`"61 * * * *" isn't a valid cron schedule: minute value 61 is out of range (0-59)`);
    expect(() => parseCron("0 0 * * 7")).toThrow(/day of week value 7 is out of range \(0-6\)/);
    expect(() => parseCron("* * * * * *")).toThrow(/expected 5 fields .*found 6/);
    expect(() => parseCron("@hourly")).toThrow(/descriptors such as @hourly are not accepted/);
    expect(() => parseCron("0 0 L * *")).toThrow(/day of month field: "L" is not a number/);
    expect(() => parseCron("*/0 * * * *")).toThrow(/the step in "\*\/0" must be a positive number/);
    expect(() => parseCron("5-2 * * * *")).toThrow(/the range "5-2" starts after it ends/);
    expect(() => parseCron("0 9 * JUNE *")).toThrow(/month field: "JUNE" is not a number or name/);
    expect(() => parseCron("TZ=Nowhere/City 0 * * * *")).toThrow(/unknown time zone "Nowhere\/City"/);
    expect(() => parseCron("")).toThrow(/it is empty/);
    expect(() => parseCron(`0 0 ${"1,".repeat(130)}1 * *`)).toThrow(/longer than 255 characters/);
  });

  it("has no time for fields that never match", () => {
    expect(parseCron("0 0 30 2 *").nextAfter(after)).toBeNull();
  });
});

describe("cronWithTimezone", () => {
  it("prefixes the zone unless it is UTC", () => {
    expect(cronWithTimezone("0 9 * * 1", "Europe/Paris")).toBe("TZ=Europe/Paris 0 9 * * 1");
    expect(cronWithTimezone(" 0 9 * * 1 ", "UTC")).toBe("0 9 * * 1");
    expect(cronWithTimezone("0 9 * * 1", "")).toBe("0 9 * * 1");
  });
});
