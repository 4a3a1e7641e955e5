// The `if` expression subset and Inngest's retry schedule.
import { describe, expect, it } from "vitest";
import { compileExpression, compileValueExpression } from "@/inngest/local/compile-expression";
import { parseDuration, retryDelayMs, sleepDelayMs } from "@/inngest/local/durations";

describe("compileExpression", () => {
  const event = { name: "shop/order", data: { amount: 250, currency: "EUR", customer: { tier: "gold" }, tags: ["a"] } };

  it("evaluates comparisons, && || ! and parentheses over event fields", () => {
    expect(compileExpression("event.data.amount > 100")({ event })).toBe(true);
    expect(compileExpression("event.data.amount <= 100")({ event })).toBe(false);
    expect(compileExpression("event.data.currency == 'EUR' && event.data.customer.tier == \"gold\"")({ event })).toBe(true);
    expect(compileExpression("event.data.currency == 'USD' || !(event.data.amount < 10)")({ event })).toBe(true);
    expect(compileExpression("event.data['currency'] != 'EUR'")({ event })).toBe(false);
    expect(compileExpression("event.data.missing == null")({ event })).toBe(false); // absent is not null
  });

  it("compares the waiting run's event with the incoming one (async)", () => {
    const match = compileExpression("event.data.orderId == async.data.orderId");
    expect(match({ event: { data: { orderId: "o1" } }, async: { data: { orderId: "o1" } } })).toBe(true);
    expect(match({ event: { data: { orderId: "o1" } }, async: { data: { orderId: "o2" } } })).toBe(false);
    expect(match({ event: { data: {} }, async: { data: {} } })).toBe(false);
  });

  it("evaluates CEL arithmetic, in, size(), has() and string functions as Inngest does", () => {
    const on = (source: string) => compileExpression(source)({ event, async: { data: { amount: 260, email: "Ann@Acme.io", tags: ["a", "b"] } } });
    expect(on("async.data.amount - event.data.amount == 10 && event.data.amount * 2 % 7 == 3")).toBe(true);
    expect(on("event.data.amount + 1 > 2 && -event.data.amount < 0")).toBe(true);
    expect(on("event.data.currency in ['EUR', 'USD'] && !('GBP' in ['EUR', 'USD'])")).toBe(true);
    expect(on("'a' in async.data.tags && 'tier' in event.data.customer && size(async.data.tags) == 2 && async.data.tags.size() == 2")).toBe(true);
    expect(on("has(event.data.customer.tier) && !has(event.data.customer.name)")).toBe(true);
    expect(on("async.data.email.endsWith('@Acme.io') && async.data.email.lowerAscii().startsWith('ann@') && async.data.email.contains('Acme')")).toBe(true);
    expect(on("async.data.email.matches('^[A-Z][a-z]+@') && !async.data.email.matches('^x')")).toBe(true);
    expect(on("event.data.currency + '-' + event.data.customer.tier == 'EUR-gold'")).toBe(true);
    // Wrong types yield no value (CEL: an error), so the comparison is false rather than a JavaScript coercion.
    expect(on("event.data.currency + 1 == 'EUR1'")).toBe(false);
    expect(on("event.data.amount / 0 > 1")).toBe(false);
    expect(on("size(event.data.amount) == 0")).toBe(false);
  });

  it("refuses what it does not support, saying what is supported", () => {
    expect(() => compileExpression("event.data.tags.exists(t, t == 'a')")).toThrow(/unknown method \.exists\(\); supported: /);
    expect(() => compileExpression("timestamp(event.ts) > 0")).toThrow(/unknown name "timestamp"/);
    expect(() => compileExpression("event.data.amount > 1 ? true : false")).toThrow(/unexpected character "\?"/);
    expect(() => compileExpression("has(event)")).toThrow(/has\(\) takes a field/);
    expect(() => compileExpression("event.data.amount >")).toThrow(/unexpected end/);
  });

  it("yields values for idempotency and concurrency keys", () => {
    expect(compileValueExpression("event.data.customer.tier")({ event })).toBe("gold");
  });
});

describe("durations and retries", () => {
  it("parses the SDK's duration strings and sleepUntil dates", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(() => parseDuration("soon")).toThrow(/Unsupported duration "soon"/);
    expect(sleepDelayMs("2030-01-01T00:00:10.000Z", Date.parse("2030-01-01T00:00:00.000Z"))).toBe(10_000);
  });

  it("follows Inngest's schedule (15s, 30s, 1m, 2m, 5m …) plus up to 25% jitter", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, () => 0))).toEqual([15e3, 30e3, 60e3, 120e3, 300e3]);
    expect(retryDelayMs(1, () => 1)).toBe(18_750);
    expect(retryDelayMs(50, () => 0)).toBe(7_200_000);
  });
});
