import { describe, expect, it } from "vitest";
import { summarizePayload } from "./summarize-payload";

describe("summarizePayload", () => {
  it("picks the fields people recognise a request by", () => {
    expect(summarizePayload({ name: "Ada Lovelace", email: "ada@example.com", amount: 120, message: "Hello" })).toBe("email: ada@example.com · name: Ada Lovelace · amount: 120");
    expect(summarizePayload({ id: "evt_1", type: "checkout.session.completed", data: { object: { amount_total: 4900, customer_email: "ada@example.com" } } })).toBe(
      "type: checkout.session.completed · customer_email: ada@example.com · amount_total: 4900",
    );
  });

  it("shortens long values and says something about arrays, text and nothing", () => {
    expect(summarizePayload({ note: "x".repeat(100) })).toBe(`note: ${"x".repeat(39)}…`);
    expect(summarizePayload([1, 2, 3])).toBe("3 items");
    expect(summarizePayload([{ sku: "A1", qty: 2 }])).toBe("sku: A1 · qty: 2");
    expect(summarizePayload("plain text body")).toBe("plain text body");
    expect(summarizePayload({})).toBeNull();
    expect(summarizePayload(null)).toBeNull();
  });
});
