import { describe, expect, it } from "vitest";
import { eventTypeMatches, readPayloadPath } from "@/lib/webhooks/ingress/read-payload-path";

describe("readPayloadPath", () => {
  const body = { id: "evt_1", data: { object: { id: "pi_9", amount: 42 } }, items: [{ sku: "a" }, { sku: "b" }], flag: true };
  it("reads dotted paths and JSONata expressions as strings", async () => {
    expect(await readPayloadPath(body, "id")).toBe("evt_1");
    expect(await readPayloadPath(body, "data.object.id")).toBe("pi_9");
    expect(await readPayloadPath(body, "data.object.amount")).toBe("42");
    expect(await readPayloadPath(body, "flag")).toBe("true");
    expect(await readPayloadPath(body, "items[1].sku")).toBe("b");
    expect(await readPayloadPath(body, '$join(items.sku, "-")')).toBe("a-b");
  });
  it("answers null for absent, empty or non-scalar values and for broken expressions", async () => {
    expect(await readPayloadPath(body, "missing.path")).toBeNull();
    expect(await readPayloadPath(body, "data")).toBeNull();
    expect(await readPayloadPath("text body", "id")).toBeNull();
    expect(await readPayloadPath(body, "$undefinedFn(")).toBeNull();
  });
});

describe("eventTypeMatches", () => {
  it("passes everything without a filter and nothing without an event type", () => {
    expect(eventTypeMatches("anything", [])).toBe(true);
    expect(eventTypeMatches(null, ["a"])).toBe(false);
  });
  it("matches exact names and * wildcards anywhere", () => {
    const filter = ["payment_intent.succeeded", "checkout.session.*", "*.publish"];
    expect(eventTypeMatches("payment_intent.succeeded", filter)).toBe(true);
    expect(eventTypeMatches("payment_intent.failed", filter)).toBe(false);
    expect(eventTypeMatches("checkout.session.completed", filter)).toBe(true);
    expect(eventTypeMatches("ContentManagement.Entry.publish", filter)).toBe(true);
    expect(eventTypeMatches("ContentManagement.Entry.unpublish", filter)).toBe(false);
    expect(eventTypeMatches("checkoutXsession.completed", ["checkout.session.*"])).toBe(false);
  });
});
