import { describe, expect, it } from "vitest";
import { describeStep } from "./xyflow-adapter";

describe("describeStep", () => {
  it("shows a node's real ports while its config is still incomplete", () => {
    expect(describeStep("approval", "Approve", { message: "" }).ports).toEqual(["approved", "rejected"]);
    expect(describeStep("condition", "Check", {}).ports).toEqual(["true", "false"]);
    expect(describeStep("transform", "Shape", {}).ports).toEqual(["out"]);
  });
});
