// Expressions as a user writes them in the inspector (issue 17, points 3 and 4): checks under the
// field while typing, a live preview against the captured sample and the last test run, unknown
// paths flagged, and the variable picker beside its field, inserting full paths, offering a step's
// output as soon as it is connected, and only on fields that take expressions.
import type { Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { answerWith, APP_ORIGIN, signedInPage, startLoopbackServer } from "./helpers";

test.describe.configure({ mode: "serial", timeout: 120_000 });

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/expressions-${process.env.E2E_PORT || 3123}-${name}.png` });

// The CRM the flow calls: a real HTTP server on loopback.
let crm: Server;
let crmUrl = "";
test.beforeAll(async () => {
  ({ server: crm, url: crmUrl } = await startLoopbackServer(answerWith(201, { id: "lead_42", status: "created" })));
});
test.afterAll(() => crm.close());

let page: Page;
let flowId = "";
test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser, { width: 1280, height: 720 });
  expect((await page.request.patch("/api/v1/workspace", { data: { allowedHosts: ["127.0.0.1"] }, headers: APP_ORIGIN })).status()).toBe(200);
  const node = (id: string, kind: string, name: string, config: Record<string, unknown>, x: number, y = 0) => ({ id, kind, name, config, position: { x, y } });
  const created = await page.request.post("/api/v1/flows", {
    headers: APP_ORIGIN,
    data: {
      name: "Lead routing",
      graph: {
        nodes: [
          node("hook", "webhook_trigger", "Lead form", {}, 0),
          node("crm", "http_request", "Create CRM lead", { method: "POST", url: `${crmUrl}/leads`, bodyType: "json", jsonBody: { email: "{{ trigger.body.email }}" } }, 300),
          node("notify", "transform", "Shape notification", { mode: "fields", fields: [{ path: "lead", value: "{{ steps.crm.body.id }}" }] }, 600),
        ],
        edges: [
          { id: "e1", source: "hook", target: "crm" },
          { id: "e2", source: "crm", target: "notify" },
        ],
      },
    },
  });
  expect(created.status()).toBe(201);
  flowId = ((await created.json()) as { id: string }).id;
});
test.afterAll(() => page.close());

const inspector = () => page.getByRole("complementary", { name: "Step settings panel" });
const picker = () => page.getByRole("dialog", { name: "Insert a variable" });
const node = (id: string) => page.getByTestId(`node-${id}`);
/** The variable picker button beside one labelled text field. */
const pickerButton = (field: string) => inspector().getByRole("textbox", { name: field, exact: true }).locator("xpath=..").getByRole("button", { name: "Insert a variable" });

/** The checks and preview shown under one labelled field. */
function feedbackOf(label: string) {
  const field = inspector().getByRole("textbox", { name: label, exact: true });
  return {
    field,
    errors: field.locator("xpath=ancestor::div[2]").getByTestId("expression-error"),
    warnings: field.locator("xpath=ancestor::div[2]").getByTestId("expression-warning"),
    preview: field.locator("xpath=ancestor::div[2]").getByRole("status", { name: "Preview" }),
  };
}

test("expression fields are checked while typing and previewed against the sample and the last test run", async () => {
  await page.goto(`/flows/${flowId}`);
  // A sample from a real request: listen on the trigger and send one to its test URL.
  await node("hook").click();
  await inspector().getByRole("button", { name: "Listen for test event" }).click();
  const testUrl = await inspector().getByRole("textbox", { name: "Test URL" }).inputValue();
  expect((await page.request.post(testUrl, { data: { name: "Ada Lovelace", email: "ada@example.com", amount: 120 } })).status()).toBe(200);
  await expect(inspector().getByText("Sample", { exact: true })).toBeVisible();

  await node("crm").click();
  const url = feedbackOf("URL");
  // Syntax errors, names that are no root, and steps that run later: said under the field at once.
  await url.field.fill(`${crmUrl}/leads/{{ trigger.body.email`);
  await expect(url.errors).toHaveText('Unclosed "{{" at position ' + `${crmUrl}/leads/`.length + ': add the matching "}}"');
  await url.field.fill(`${crmUrl}/leads/{{ triger.body.email }}`);
  await expect(url.errors).toHaveText('Unknown name "triger" in {{ triger.body.email }}: expressions start with trigger, steps or run');
  await url.field.fill(`${crmUrl}/leads/{{ steps.notify.lead }}`);
  await expect(url.errors).toHaveText('steps.notify: "Shape notification" does not run before this step; connect it first');
  await url.field.fill(`${crmUrl}/leads/{{ trigger.body. }}`);
  await expect(url.errors).toContainText("{{ trigger.body. }}: ");
  // A path the sample does not have is flagged, naming what it has.
  await url.field.fill(`${crmUrl}/leads?email={{ trigger.body.emial }}`);
  await expect(url.warnings).toHaveText("trigger.body.emial is not in the sample (it has: name, email, amount)");
  await expect(url.errors).toHaveCount(0);
  // The live preview: what the field becomes with the sample.
  await url.field.fill(`${crmUrl}/leads?email={{ trigger.body.email }}`);
  await expect(url.warnings).toHaveCount(0);
  await expect(url.preview).toHaveText(`Preview (the sample): ${crmUrl}/leads?email=ada@example.com`);
  await url.field.fill(`${crmUrl}/leads`);
  await expect(url.preview).toHaveCount(0);

  const body = feedbackOf("JSON body");
  await body.field.fill('{ "email": "{{ trigger.body.email }}", "double": "{{ trigger.body.amount * 2 }}", "shout": "{{ $uppercase(trigger.body.name) }}" }');
  await expect(body.preview).toContainText('"double": 240');
  await expect(body.preview).toContainText('"shout": "ADA LOVELACE"');
  await body.field.fill(`{ "email": "{{ trigger.body.emial }}", "double": "{{ trigger.body.amount * 2 }}" }`);
  await expect(body.warnings).toHaveText("trigger.body.emial is not in the sample (it has: name, email, amount)");
  await body.preview.scrollIntoViewIfNeeded();
  await shot(page, "01-inline-checks-and-preview");

  // Before any test run, the next step previews with the CRM step's example output…
  await node("notify").click();
  const value = feedbackOf("Value");
  await expect(value.preview).toHaveText("Preview (example output): nothing (no value at this path)");
  await value.field.fill("{{ steps.crm.status }}");
  await expect(value.preview).toHaveText("Preview (example output): 200");
  await value.field.fill("{{ steps.crm.bdy.id }}");
  await expect(value.warnings).toHaveText('steps.crm.bdy is not in the output of "Create CRM lead" (it has: status, headers, body)');
  await value.field.fill("{{ steps.crm.body.id }}");
  await expect(page.getByText("All changes saved")).toBeVisible();

  // …and after one, with what the CRM really answered.
  await page.getByRole("button", { name: "Test run" }).click();
  await expect(page.getByText("Test run succeeded.")).toBeVisible({ timeout: 30_000 });
  await node("notify").click();
  await expect(value.preview).toHaveText("Preview (the last test run): lead_42");
  await value.field.fill("{{ steps.crm.body.leadId }}");
  await expect(value.warnings).toHaveText('steps.crm.body.leadId is not in the last test run of "Create CRM lead" (it has: id, status)');
  await value.field.fill("{{ steps.crm.body.id }}");
  await value.preview.scrollIntoViewIfNeeded();
  await shot(page, "02-preview-last-test-run");
});

test("the variable picker opens beside its field inside the viewport and inserts full paths", async () => {
  await page.goto(`/flows/${flowId}`);
  await node("crm").click();
  // The lowest expression field of a long form, scrolled to the bottom of the panel.
  const rawBody = inspector().getByRole("textbox", { name: "Raw body text", exact: true });
  await inspector().getByLabel("Body format").selectOption("raw");
  // At the very bottom of the viewport: a picker opening below it would be cut off.
  await rawBody.evaluate((element) => element.scrollIntoView({ block: "end" }));
  await pickerButton("Raw body text").click();
  await expect(picker()).toBeVisible();
  const box = (await picker().boundingBox())!;
  const panel = (await inspector().boundingBox())!;
  const field = (await rawBody.boundingBox())!;
  const viewport = page.viewportSize()!;
  // Inside the viewport, beside the panel (not over the form), level with its field or moved up to fit.
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width).toBeLessThanOrEqual(panel.x);
  expect(box.y).toBeLessThanOrEqual(field.y + 1);
  await shot(page, "03-picker-beside-field");
  // A click on a value inserts its full path; objects open instead.
  await picker().getByRole("button", { name: /^email/ }).click();
  await expect(rawBody).toHaveValue("{{ trigger.body.email }}");
  await expect(picker()).toHaveCount(0);
  // Searching finds fields anywhere in the tree.
  await pickerButton("Raw body text").click();
  await picker().getByRole("searchbox", { name: "Search fields" }).fill("amount");
  await picker().getByRole("button", { name: /^trigger\.body\.amount/ }).click();
  await expect(rawBody).toHaveValue("{{ trigger.body.email }}{{ trigger.body.amount }}");
});

test("a step's output is offered as soon as it is connected, and only fields that take expressions have a picker", async () => {
  await page.goto(`/flows/${flowId}`);
  await page.getByRole("button", { name: "Add Transform", exact: true }).dragTo(page.locator(".react-flow__pane"), { targetPosition: { x: 200, y: 500 } });
  await expect(node("transform")).toBeVisible();
  await inspector().getByRole("button", { name: "Add field" }).click();
  // Output field names are taken as written: no picker there.
  await expect(inspector().getByRole("textbox", { name: "Output field" })).toBeVisible();
  await expect(pickerButton("Output field")).toHaveCount(0);
  await pickerButton("Value").click();
  await expect(picker().getByText("Connect steps before this one to use their output.")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(picker()).toHaveCount(0);
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });

  // Connect the CRM step to it: its fields are there at once, before any new test run.
  const from = (await node("crm").locator('.react-flow__handle.source[data-handleid="out"]').boundingBox())!;
  const to = (await node("transform").locator(".react-flow__handle.target").boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
  await node("transform").click();
  await pickerButton("Value").click();
  const steps = picker().getByRole("region", { name: "Earlier steps" });
  await expect(steps).toContainText("Create CRM lead");
  await shot(page, "04-connected-step-offered");
  await steps.getByRole("button", { name: /^status/ }).click();
  await expect(inspector().getByRole("textbox", { name: "Value", exact: true })).toHaveValue("{{ steps.crm.status }}");

  // Trigger notes and a Respond step's content type take no expressions either.
  await node("hook").click();
  await expect(inspector().getByLabel("Notes for your team")).toBeVisible();
  await expect(inspector().getByRole("button", { name: "Insert a variable" })).toHaveCount(0);
});
