// @vitest-environment happy-dom
// The step settings form generated from a node kind's zod schema: fields by type, fields shown only
// for one choice, errors beside their field, edits written to the editor store, read-only flows.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EditorProvider, useEditorStoreApi } from "@/components/canvas/editor-context";
import { SchemaForm } from "@/components/inspector/schema-form";
import type { EditorStore } from "@/components/canvas/editor-store";
import { configJsonSchema } from "@/lib/flows/node-config-schema";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { startRecordingApi, type RecordingApi } from "./recording-api";

// The credential pickers in the forms load the workspace's credentials once per page, from here.
let api: RecordingApi;
beforeAll(async () => {
  api = await startRecordingApi({ credentials: [{ id: "cred_smtp", name: "Mail relay", type: "smtp" }] });
});
afterAll(() => api.close());
afterEach(cleanup);

/** The form for one step of `kind` in a flow of its own, and the editor store it writes to. */
function renderForm(kind: string, config: Record<string, unknown>, options: { readOnly?: boolean } = {}) {
  const definition = getNodeDefinition(kind)!;
  const schema = configJsonSchema(kind)!;
  const graph = {
    nodes: [
      { id: "trigger", kind: "webhook_trigger", name: "Webhook", config: {}, position: { x: 0, y: 0 } },
      { id: "step", kind, name: definition.title, config, position: { x: 300, y: 0 } },
    ],
    edges: [{ id: "trigger-step", source: "trigger", target: "step", sourcePort: "out" }],
  };
  let store!: EditorStore;
  function CaptureStore() {
    store = useEditorStoreApi();
    return null;
  }
  render(
    <EditorProvider init={{ flowId: "flow_1", graph, revision: 1, readOnly: options.readOnly }}>
      <CaptureStore />
      <SchemaForm nodeId="step" definition={definition} schema={schema} config={config} readOnly={options.readOnly ?? false} />
    </EditorProvider>,
  );
  const configInStore = () => store.getState().nodes.find((node) => node.id === "step")!.data.config;
  return { form: screen.getByRole("group", { name: "Step settings" }), configInStore };
}

describe("SchemaForm", () => {
  it("generates a field per setting: choices as selects, numbers, switches, and the schema's defaults filled in", () => {
    const { form } = renderForm("http_request", { url: "https://crm.example.com/leads" });
    expect(within(form).getByLabelText("HTTP method")).toHaveProperty("value", "POST");
    expect(within(form).getByLabelText("URL")).toHaveProperty("value", "https://crm.example.com/leads");
    expect(within(form).getByLabelText("Timeout")).toHaveProperty("value", "30000");
    expect(within(form).getByLabelText("Follow redirects")).toHaveProperty("checked", true);
    expect(within(form).getByRole("button", { name: "Add header" })).toBeTruthy();
  });

  it("shows a field only for the choice it belongs to", async () => {
    const { form } = renderForm("http_request", { url: "https://crm.example.com/leads", bodyType: "json" });
    expect(within(form).queryByLabelText("Raw body text")).toBeNull();
    await userEvent.selectOptions(within(form).getByLabelText("Body format"), "raw");
    expect(within(form).getByLabelText("Raw body text")).toBeTruthy();
    expect(within(form).queryByText(/^JSON body/)).toBeNull();
  });

  it("writes edits to the editor store as config JSON", async () => {
    const { form, configInStore } = renderForm("http_request", { url: "" });
    await userEvent.type(within(form).getByLabelText("URL"), "https://crm.example.com/leads");
    await userEvent.selectOptions(within(form).getByLabelText("HTTP method"), "PUT");
    await userEvent.click(within(form).getByRole("button", { name: "Add header" }));
    await userEvent.type(within(form).getAllByLabelText("Name")[0], "X-Source");
    await waitFor(() =>
      expect(configInStore()).toMatchObject({ url: "https://crm.example.com/leads", method: "PUT", headers: [{ name: "X-Source", value: "" }] }),
    );
  });

  it("shows the schema's message beside the field that breaks it", async () => {
    const { form } = renderForm("http_request", { url: "" });
    const url = within(form).getByLabelText("URL");
    await waitFor(() => expect(url.getAttribute("aria-invalid")).toBe("true"));
    expect(within(form).getByText("URL is required")).toBeTruthy();
    await userEvent.type(url, "https://crm.example.com");
    await waitFor(() => expect(url.getAttribute("aria-invalid")).toBeNull());
    expect(within(form).queryByText("URL is required")).toBeNull();
  });

  it("offers the kind's credentials in a picker for its credential field", async () => {
    const { form } = renderForm("send_email", { to: "ops@example.com", subject: "Hi", text: "Hello" });
    const picker = within(form).getByRole("combobox", { name: /credential/i });
    await waitFor(() => expect(within(picker).getByRole("option", { name: "Mail relay" })).toBeTruthy());
  });

  it("lets nothing be changed in a read-only flow", () => {
    const { form } = renderForm("http_request", { url: "https://crm.example.com/leads" }, { readOnly: true });
    expect(within(form).getByLabelText("URL")).toHaveProperty("disabled", true);
    expect(within(form).getByLabelText("HTTP method")).toHaveProperty("disabled", true);
    expect(within(form).queryByRole("button", { name: "Add header" })).toBeNull();
  });
});
