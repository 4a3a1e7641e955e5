// @vitest-environment happy-dom
// The credential picker: lists the workspace's credentials of the fitting types, and creates one
// inline from a form generated from the credential type's schema, then selects it.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CredentialPicker } from "@/components/inspector/credential-picker";
import type { CredentialType } from "@/lib/credentials/credential-types";
import { startRecordingApi, type RecordingApi } from "./recording-api";

let api: RecordingApi;
beforeAll(async () => {
  api = await startRecordingApi({
    credentials: [
      { id: "cred_bearer", name: "CRM token", type: "bearer_token" },
      { id: "cred_basic", name: "Legacy login", type: "basic_auth" },
      { id: "cred_slack", name: "Ops channel", type: "slack_webhook" },
    ],
  });
});
afterAll(() => api.close());
afterEach(cleanup);

/** A picker whose chosen id is kept the way the settings form keeps it. */
function renderPicker(types: CredentialType[], options: { error?: string; disabled?: boolean } = {}) {
  const chosen: string[] = [];
  function Field() {
    const [value, setValue] = useState("");
    return (
      <CredentialPicker
        label="Authentication"
        types={types}
        value={value}
        onChange={(id) => {
          chosen.push(id);
          setValue(id);
        }}
        error={options.error}
        disabled={options.disabled}
      />
    );
  }
  render(<Field />);
  return { select: screen.getByRole("combobox", { name: "Authentication" }) as HTMLSelectElement, chosen };
}

const optionNames = (select: HTMLElement) => within(select).getAllByRole("option").map((option) => option.textContent);

describe("CredentialPicker", () => {
  it("lists only the credentials of the field's types, and reports the one chosen", async () => {
    const { select, chosen } = renderPicker(["bearer_token", "basic_auth"]);
    await waitFor(() => expect(optionNames(select)).toEqual(["Choose a credential…", "CRM token", "Legacy login"]));
    await userEvent.selectOptions(select, "Legacy login");
    expect(chosen).toEqual(["cred_basic"]);
    expect(select.value).toBe("cred_basic");
  });

  it("says so when the workspace has no credential of the types", async () => {
    const { select } = renderPicker(["smtp"]);
    await waitFor(() => expect(optionNames(select)).toEqual(["No credential yet"]));
  });

  it("creates a credential inline from the type's fields, sends its secret once, and selects it", async () => {
    const { select, chosen } = renderPicker(["bearer_token"]);
    await waitFor(() => expect(optionNames(select)).toContain("CRM token"));
    await userEvent.click(screen.getByRole("button", { name: "New" }));
    const form = screen.getByRole("form", { name: "New credential" });
    await userEvent.type(within(form).getByLabelText("Credential name"), "Billing token");
    const token = within(form).getByLabelText(/token/i, { selector: "input[name^='data.']" }) as HTMLInputElement;
    expect(token.type).toBe("password");
    await userEvent.type(token, "s3cret-value");
    await userEvent.click(within(form).getByRole("button", { name: "Save credential" }));

    await waitFor(() => expect(select.value).toBe("cred_4"));
    expect(api.created.at(-1)).toEqual({ name: "Billing token", type: "bearer_token", data: { token: "s3cret-value" } });
    expect(optionNames(select)).toEqual(["Choose a credential…", "CRM token", "Billing token"]);
    expect(chosen).toEqual(["cred_4"]);
    expect(screen.queryByRole("form", { name: "New credential" })).toBeNull();
  });

  it("keeps the inline form open with the server's message when creating fails", async () => {
    const { select } = renderPicker(["bearer_token"]);
    await waitFor(() => expect(optionNames(select)).toContain("CRM token"));
    await userEvent.click(screen.getByRole("button", { name: "New" }));
    const form = screen.getByRole("form", { name: "New credential" });
    await userEvent.type(within(form).getByLabelText("Credential name"), "Broken");
    api.refuseNextCreate(422, "A credential named Broken exists already");
    await userEvent.click(within(form).getByRole("button", { name: "Save credential" }));
    expect((await within(form).findByRole("alert")).textContent).toBe("A credential named Broken exists already");
    expect(select.value).toBe("");
  });

  it("shows the field's error and offers no inline create when disabled", async () => {
    const { select } = renderPicker(["bearer_token"], { error: "Choose a credential", disabled: true });
    expect(select.disabled).toBe(true);
    expect(select.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Choose a credential")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "New" })).toBeNull();
  });
});
