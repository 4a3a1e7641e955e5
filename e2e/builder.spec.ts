// The visual builder as a new user meets it: real drag-and-drop from the palette, connecting
// handles with the mouse, typing into the generated inspector forms, publish validation, undo/redo,
// the trigger's webhook URL from the clipboard, import/export and templates.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { APP_ORIGIN, createFlow, dragFromPalette, ensureSignedIn, snap } from "./helpers";

test.describe.configure({ mode: "serial" });

/** The builder works as the owner account foundation.spec.ts created, signed in by the setup project. */
const signInBuilder = ensureSignedIn;

// Real loopback stand-ins for the CRM API, Slack's incoming webhook and the company SMTP server.
const received: { path: string; body: string }[] = [];
const mails: { to: string[]; data: string }[] = [];
let api: Server;
let smtp: SMTPServer;
let apiPort = 0;
let smtpPort = 0;

test.beforeAll(async () => {
  api = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      if (req.url === "/crm/leads") {
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: "lead_42", status: "created" }));
      } else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiPort = (api.address() as AddressInfo).port;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk: Buffer) => (data += chunk));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  await new Promise((resolve) => api?.close(resolve));
  await new Promise((resolve) => smtp?.close(() => resolve(null)));
});

/** Drags from the middle of `from` to `to`'s middle, or to `at` (a point relative to `to`'s top left corner). */
async function dragBetween(page: Page, from: Locator, to: Locator, at?: { x: number; y: number }) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  const target = at ? { x: b.x + at.x, y: b.y + at.y } : { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + a.width / 2 + target.x) / 2, (a.y + a.height / 2 + target.y) / 2, { steps: 5 });
  await page.mouse.move(target.x, target.y, { steps: 5 });
  await page.mouse.up();
}

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const output = (page: Page, id: string, port = "out") => node(page, id).locator(`.react-flow__handle.source[data-handleid="${port}"]`);
const input = (page: Page, id: string) => node(page, id).locator(".react-flow__handle.target");
const edges = (page: Page) => page.locator(".react-flow__edge");
const inspector = (page: Page) => page.getByRole("complementary", { name: "Step settings panel" });
const picker = (page: Page) => page.getByRole("dialog", { name: "Insert a variable" });
/** The variable picker button beside one labelled text field. */
const pickerButton = (page: Page, field: string) => inspector(page).getByRole("textbox", { name: field, exact: true }).locator("xpath=..").getByRole("button", { name: "Insert a variable" });

async function closeInspector(page: Page) {
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
  await expect(inspector(page)).toHaveCount(0);
}

async function expectSaved(page: Page) {
  await expect(page.getByText("All changes saved")).toBeVisible();
}

test("builds form → CRM → Slack, and if amount > 100 also email, by drag-and-drop and typing", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInBuilder(page);
  // The stand-in services live on loopback, which the SSRF guard refuses unless the workspace allows it.
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Allowed internal hosts").fill("127.0.0.1");
  await page.getByRole("button", { name: "Save workspace" }).click();
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await createFlow(page, "Website leads to CRM");
  await expect(page.getByText("Start with a trigger")).toBeVisible();
  await snap(page, "builder-01-empty");

  // Trigger: drag "Form submission" onto the canvas.
  await dragFromPalette(page, "Form submission", 160, 80);
  await expect(node(page, "form")).toBeVisible();
  await expect(inspector(page)).toBeVisible();
  await expect(inspector(page).getByRole("heading", { name: "Form submission" })).toBeVisible();
  await closeInspector(page);

  // HTTP request to the CRM, connected by dragging from the trigger's output to its input.
  await dragFromPalette(page, "HTTP request", 460, 80);
  await expect(node(page, "http_request")).toBeVisible();
  await expect(node(page, "http_request").getByLabel("Invalid configuration")).toBeVisible();
  await closeInspector(page);
  await dragBetween(page, output(page, "form"), input(page, "http_request"));
  await expect(edges(page)).toHaveCount(1);

  await node(page, "http_request").click();
  await inspector(page).getByLabel("Step name").pressSequentially("Create CRM lead");
  await inspector(page).getByLabel("URL", { exact: true }).pressSequentially(`http://127.0.0.1:${apiPort}/crm/leads`);
  await inspector(page).getByLabel("JSON body").fill('{ "email": "{{ trigger.body.email }}", "name": "{{ trigger.body.name }}" }');
  await expect(node(page, "http_request")).toContainText(`POST http://127.0.0.1:${apiPort}/crm/leads`);
  await expect(node(page, "http_request").getByLabel("Invalid configuration")).toHaveCount(0);
  await closeInspector(page);

  // Slack message with a credential created inline and a variable from the picker.
  await dragFromPalette(page, "Slack message", 460, 260);
  await expect(node(page, "slack_message")).toBeVisible();
  await inspector(page).getByRole("button", { name: "New", exact: true }).click();
  await inspector(page).getByLabel("Credential name").fill("Sales channel");
  await inspector(page).getByLabel("Slack incoming-webhook URL").fill(`http://127.0.0.1:${apiPort}/slack`);
  await inspector(page).getByRole("button", { name: "Save credential" }).click();
  await expect(inspector(page).getByLabel("Slack incoming-webhook credential")).toHaveValue(/.+/);
  const message = inspector(page).getByLabel("Message");
  await message.pressSequentially("New lead: ");
  await pickerButton(page, "Message").click();
  // No sample yet: the trigger's own fields; a click on one inserts its full path.
  await picker(page).getByRole("button", { name: /^method/ }).click();
  await expect(message).toHaveValue("New lead: {{ trigger.method }}");
  await message.fill("New lead: {{ trigger.body.name }} <{{ trigger.body.email }}>");
  await closeInspector(page);
  await dragBetween(page, output(page, "http_request"), input(page, "slack_message"));
  await expect(edges(page)).toHaveCount(2);

  // If / else on the amount, added with the quick-add search (keyboard).
  await page.keyboard.press("/");
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("if");
  await page.keyboard.press("Enter");
  await expect(node(page, "condition")).toBeVisible();
  await inspector(page).getByLabel("Value to test").fill("{{ trigger.body.amount }}");
  await inspector(page).getByLabel("Comparison").selectOption("greater_than");
  await inspector(page).getByLabel("Value to compare with").fill("100");
  await expect(node(page, "condition")).toContainText("If {{ trigger.body.amount }} > 100");
  await closeInspector(page);
  // Move it below the trigger so the canvas stays readable, by dragging the node itself. Its outputs' "+"
  // buttons must stay clear of where the inspector opens (the right-hand 350 px): a point, not the pane's middle.
  await dragBetween(page, node(page, "condition").locator("span.truncate").first(), page.locator(".react-flow__pane"), { x: 200, y: 420 });
  await dragBetween(page, output(page, "http_request"), input(page, "condition"));
  await expect(edges(page)).toHaveCount(3);

  // Email on the "true" branch, added with the "+" on that output.
  await node(page, "condition").getByRole("button", { name: "Add a step after If / else (True)" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("email");
  await page.keyboard.press("Enter");
  await expect(node(page, "send_email")).toBeVisible();
  await expect(edges(page)).toHaveCount(4);
  await inspector(page).getByRole("button", { name: "New", exact: true }).click();
  await inspector(page).getByLabel("Credential name").fill("Company SMTP");
  await inspector(page).getByLabel("SMTP server host").fill("127.0.0.1");
  await inspector(page).getByLabel("SMTP port").fill(String(smtpPort));
  await inspector(page).getByLabel("Sender").fill("Switchyard <flows@example.com>");
  await inspector(page).getByRole("button", { name: "Save credential" }).click();
  await expect(inspector(page).getByLabel("SMTP server credential")).toHaveValue(/.+/);
  await inspector(page).getByLabel("To", { exact: true }).fill("sales@example.com");
  await inspector(page).getByLabel("Subject").fill("Big lead: {{ trigger.body.name }}");
  await inspector(page).getByLabel("Plain-text body").fill("{{ trigger.body.name }} wants {{ trigger.body.amount }}.");
  await closeInspector(page);

  await page.getByRole("button", { name: "Tidy up (Shift L)" }).click();
  await expectSaved(page);
  await snap(page, "builder-02-example-flow");

  // Publish succeeds now that every step is configured.
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Published version 1")).toBeVisible();
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(page.getByText("Active: the trigger URL now starts runs.")).toBeVisible();

  // The trigger's URL: copy it from the clipboard and post a form submission to it.
  await node(page, "form").click();
  await expect(inspector(page).getByRole("textbox", { name: "Webhook URL" })).toHaveValue(/\/api\/hooks\//);
  await inspector(page).getByRole("button", { name: "Copy webhook URL" }).click();
  await expect(inspector(page).getByRole("button", { name: "Copy webhook URL" })).toContainText("Copied");
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toMatch(/^http:\/\/localhost:\d+\/api\/hooks\/\S+$/);
  await expect(page.getByTestId("curl-example")).toContainText(url);
  await inspector(page).getByRole("button", { name: "Listen for test event" }).click();
  await expect(page.getByText("Waiting for a request")).toBeVisible();
  const response = await page.request.post(url, { form: { name: "Ada Lovelace", email: "ada@example.com", amount: "120" } });
  expect(response.status()).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  await expect(inspector(page).getByRole("list", { name: "Received requests" })).toContainText("POST");
  await expect(inspector(page).getByText("Sample", { exact: true })).toBeVisible();
  await snap(page, "builder-03-trigger-panel");

  // The variable picker now offers the sample's fields.
  await node(page, "slack_message").click();
  await pickerButton(page, "Message").click();
  await expect(picker(page).getByRole("button", { name: "Collapse trigger.body" })).toBeVisible();
  await expect(picker(page).getByRole("button", { name: /^email/ })).toBeVisible();
  await snap(page, "builder-04-variable-picker");

  // The run of that submission succeeds, every step did its work, and the run log shows each output.
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe("succeeded");
  const lead = received.find((r) => r.path === "/crm/leads");
  expect(JSON.parse(lead!.body)).toEqual({ email: "ada@example.com", name: "Ada Lovelace" });
  expect(JSON.parse(received.find((r) => r.path === "/slack")!.body).text).toBe("New lead: Ada Lovelace <ada@example.com>");
  expect(mails).toHaveLength(1);
  expect(mails[0].to).toEqual(["sales@example.com"]);
  expect(mails[0].data).toContain("Big lead: Ada Lovelace");
  await page.goto(`/runs/${runId}`);
  await expect(page.getByText("succeeded").first()).toBeVisible();
  await page.getByRole("button", { name: /Create CRM lead/ }).first().click();
  await expect(page.getByText("lead_42").first()).toBeVisible();
  await snap(page, "builder-05-run-succeeded");
});

test("publish is blocked by validation, each problem links to its step", async ({ page }) => {
  await signInBuilder(page);
  await createFlow(page, "Incomplete flow");
  await dragFromPalette(page, "Webhook", 160, 80);
  await closeInspector(page);
  await dragFromPalette(page, "HTTP request", 460, 80);
  await closeInspector(page);
  await dragFromPalette(page, "Slack message", 460, 260);
  await closeInspector(page);
  await dragBetween(page, output(page, "webhook"), input(page, "http_request"));
  // A connection into a trigger is refused with a hint.
  await dragBetween(page, output(page, "http_request"), node(page, "webhook"));
  await expect(edges(page)).toHaveCount(1);
  await expectSaved(page);

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const problems = page.getByRole("complementary", { name: "Problems" });
  await expect(problems).toBeVisible();
  await expect(problems).toContainText("URL is required");
  await expect(problems).toContainText('Node "slack_message" is not connected to any trigger');
  await expect(page.getByText("Not published")).toBeVisible();
  await snap(page, "builder-06-publish-blocked");
  await problems.getByRole("button", { name: "Go to “slack_message”" }).first().click();
  await expect(inspector(page).getByRole("heading", { name: "Slack message" })).toBeVisible();
  const versions = await page.request.get(`${page.url().replace(/.*\/flows\//, "/api/v1/flows/")}/versions`);
  expect((await versions.json()).versions).toEqual([]);
});

test("publishing warns about an expression path the last test run did not have, and the run log names the empty path", async ({ page }) => {
  await signInBuilder(page);
  const graph = {
    nodes: [
      { id: "webhook", kind: "webhook_trigger", name: "Webhook", config: {}, position: { x: 0, y: 0 } },
      { id: "shape", kind: "transform", name: "Shape order", config: { mode: "fields", fields: [{ path: "email", value: "ada@example.com" }, { path: "amount", value: "250" }] }, position: { x: 320, y: 0 } },
      { id: "big", kind: "filter", name: "Big orders", config: { rules: [{ left: "{{ steps.shape.output.amount }}", operator: "greater_than", right: "100" }] }, position: { x: 640, y: 0 } },
    ],
    edges: [
      { id: "e1", source: "webhook", sourcePort: "out", target: "shape" },
      { id: "e2", source: "shape", sourcePort: "out", target: "big" },
    ],
  };
  const created = await page.request.post("/api/v1/flows", { data: { name: "Big orders", graph }, headers: APP_ORIGIN });
  expect(created.status()).toBe(201);
  const flowId = ((await created.json()) as { id: string }).id;
  // A test run of the draft gives "shape" a last output: { email, amount }, no "output".
  const started = await page.request.post(`/api/v1/flows/${flowId}/runs?source=draft`, { headers: { ...APP_ORIGIN, "content-type": "application/json" } });
  expect(started.status()).toBe(201);
  const { runId } = (await started.json()) as { runId: string };
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe("skipped");

  await page.goto(`/flows/${flowId}`);
  await expect(page.locator(".react-flow__pane")).toBeVisible();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Published version 1 with 1 warning.")).toBeVisible();
  const problems = page.getByRole("complementary", { name: "Problems" });
  await expect(problems.getByRole("heading", { name: "Published with 1 warning" })).toBeVisible();
  await expect(problems).toContainText('{{ steps.shape.output.amount }} would be empty: steps.shape has no field "output" in the last run of "shape" (it has: email, amount)');
  await snap(page, `builder-12-publish-warnings-${process.env.E2E_PORT || 3123}`);
  await problems.getByRole("button", { name: "Go to “Big orders”" }).click();
  await expect(inspector(page).getByRole("heading", { name: "Filter" })).toBeVisible();

  await page.goto(`/runs/${runId}`);
  await page.getByRole("button", { name: /^Big orders/ }).first().click();
  const empty = page.getByRole("list", { name: "Empty values" });
  // Under the field's label, as the inspector shows it, not its config path (issue 17, point 5).
  await expect(empty).toContainText('Rules › #1 › Value to test: {{ steps.shape.output.amount }} was empty: steps.shape has no field "output" (it has: email, amount)');
  await snap(page, `runlog-empty-value-${process.env.E2E_PORT || 3123}`);
});

test("undo and redo: adding, connecting, deleting and editing", async ({ page }) => {
  await signInBuilder(page);
  await createFlow(page, "Undo playground");
  await dragFromPalette(page, "Webhook", 160, 80);
  await closeInspector(page);
  await dragFromPalette(page, "Transform", 460, 80);
  await closeInspector(page);
  await dragBetween(page, output(page, "webhook"), input(page, "transform"));
  await expect(edges(page)).toHaveCount(1);

  // Delete the transform with the keyboard: its edge goes too.
  await node(page, "transform").click();
  await closeInspector(page);
  await node(page, "transform").click();
  await page.locator(".react-flow__pane").focus();
  await node(page, "transform").focus();
  await page.keyboard.press("Delete");
  await expect(node(page, "transform")).toHaveCount(0);
  await expect(edges(page)).toHaveCount(0);

  await page.keyboard.press("Control+z");
  await expect(node(page, "transform")).toBeVisible();
  await expect(edges(page)).toHaveCount(1);
  await page.keyboard.press("Control+Shift+z");
  await expect(node(page, "transform")).toHaveCount(0);
  await page.getByRole("button", { name: "Undo (Ctrl Z)" }).click();
  await expect(node(page, "transform")).toBeVisible();

  // Editing a field is one undo step; the inspector shows the restored value.
  await node(page, "webhook").click();
  await inspector(page).getByLabel("Notes for your team").pressSequentially("Orders from the shop");
  await expect(node(page, "webhook")).toContainText("Orders from the shop");
  await page.getByRole("button", { name: "Undo (Ctrl Z)" }).click();
  await expect(node(page, "webhook")).not.toContainText("Orders from the shop");
  await expect(inspector(page).getByLabel("Notes for your team")).toHaveValue("");
  await page.getByRole("button", { name: "Redo (Ctrl Shift Z)" }).click();
  await expect(inspector(page).getByLabel("Notes for your team")).toHaveValue("Orders from the shop");
  await expectSaved(page);

  // The saved draft is what the canvas shows.
  const flowId = page.url().split("/").pop();
  const draft = await (await page.request.get(`/api/v1/flows/${flowId}`)).json();
  expect(draft.graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(["transform", "webhook"]);
  expect(draft.graph.nodes.find((n: { id: string }) => n.id === "webhook").config.note).toBe("Orders from the shop");
  expect(draft.graph.edges).toHaveLength(1);
  await snap(page, "builder-07-undo-redo");
});

test("listen keeps a sample, the variable picker offers it, and a test run overlays each step's status and output", async ({ page }) => {
  await signInBuilder(page);
  await createFlow(page, "Test run overlay");
  await dragFromPalette(page, "Webhook", 160, 80);
  await expect(inspector(page).getByRole("textbox", { name: "Webhook URL" })).toHaveValue(/\/api\/hooks\//);
  const url = await inspector(page).getByRole("textbox", { name: "Webhook URL" }).inputValue();
  await inspector(page).getByRole("button", { name: "Listen for test event" }).click();
  await expect(page.getByText("Waiting for a request")).toBeVisible();
  // The flow is not active yet: the request is refused (423) but still becomes the sample.
  const refused = await page.request.post(url, { data: { email: "ada@example.com", amount: 120 } });
  expect(refused.status()).toBe(423);
  await expect(inspector(page).getByText("Sample", { exact: true })).toBeVisible();
  await closeInspector(page);

  await node(page, "webhook").getByRole("button", { name: "Add a step after Webhook" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("transform");
  await page.keyboard.press("Enter");
  await expect(edges(page)).toHaveCount(1);
  await inspector(page).getByRole("button", { name: "Add field" }).click();
  await inspector(page).getByRole("textbox", { name: "Output field" }).fill("customer.email");
  const value = inspector(page).getByRole("textbox", { name: "Value", exact: true });
  await value.click();
  await pickerButton(page, "Value").click();
  await picker(page).getByRole("button", { name: /^email/ }).click();
  await expect(value).toHaveValue("{{ trigger.body.email }}");
  await closeInspector(page);

  await page.getByRole("button", { name: "Test run" }).click();
  await expect(page.getByTestId("run-status-webhook")).toContainText("Succeeded");
  await expect(page.getByTestId("run-status-transform")).toContainText("Succeeded");
  await expect(page.getByText("Test run succeeded.")).toBeVisible();
  await node(page, "transform").click();
  await expect(inspector(page).getByRole("region", { name: "Last test run" })).toContainText("succeeded");
  await expect(inspector(page).getByLabel("Step output")).toContainText("ada@example.com");
  await snap(page, "builder-11-test-run");
});

test("export and import round-trip, templates, duplicate and delete from the flows list", async ({ page }) => {
  await signInBuilder(page);
  await page.goto("/flows");
  await page.getByRole("button", { name: "Templates" }).click();
  await snap(page, "builder-08-templates");
  await page.getByRole("button", { name: "Use template Webhook → transform → HTTP with retries" }).click();
  await expect(page.getByRole("heading", { name: "Webhook → transform → HTTP with retries" })).toBeVisible();
  await expect(node(page, "reshape")).toContainText("Set customer.email, customer.name, receivedAt");
  await expect(edges(page)).toHaveCount(2);
  await snap(page, "builder-09-template-flow");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export JSON" }).click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, "utf8"));
  expect(exported.format).toBe("switchyard.flow");
  expect(exported.graph.nodes).toHaveLength(3);

  await page.goto("/flows");
  await page.getByLabel("Import flow JSON").setInputFiles({ name: "import.flow.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ ...exported, name: "Imported forwarder" })) });
  await expect(page.getByRole("heading", { name: "Imported forwarder" })).toBeVisible();
  const flowId = page.url().split("/").pop();
  const imported = await (await page.request.get(`/api/v1/flows/${flowId}`)).json();
  expect(imported.graph).toEqual(exported.graph);

  await page.goto("/flows");
  await page.getByLabel("Import flow JSON").setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from('{"hello":1}') });
  await expect(page.getByText("Import failed: format: Not a Switchyard flow export")).toBeVisible();

  await page.getByRole("button", { name: "Duplicate Imported forwarder" }).click();
  await expect(page.getByRole("heading", { name: "Imported forwarder (copy)" })).toBeVisible();
  await page.goto("/flows");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete Imported forwarder (copy)" }).click();
  await expect(page.getByRole("link", { name: "Imported forwarder (copy)" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Imported forwarder", exact: true })).toBeVisible();
  await snap(page, "builder-10-flows-list");
});
