import { describe, expect, it } from "vitest";
import { fieldPathLabel } from "./node-config-schema";

describe("fieldPathLabel", () => {
  it("names config paths the way the inspector labels their fields", () => {
    expect(fieldPathLabel("http_request", "jsonBody.email")).toBe("JSON body › email");
    expect(fieldPathLabel("http_request", "url")).toBe("URL");
    expect(fieldPathLabel("transform", "fields[0].value")).toBe("Fields of the new object › #1 › Value");
    expect(fieldPathLabel("transform", "fields.1.path")).toBe("Fields of the new object › #2 › Output field");
    expect(fieldPathLabel("condition", "rules[0].left")).toBe("Rules › #1 › Value to test");
    expect(fieldPathLabel("no_such_kind", "a.b")).toBe("a › b");
  });
});
