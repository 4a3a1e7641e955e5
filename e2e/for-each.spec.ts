// for_each as a user meets it: built in the browser (webhook → For each → HTTP request per item),
// published, fed a webhook with an array, and read in the run log as item counts with each item
// expandable, not a flat list of steps. The HTTP target is a real server on loopback.
import type { Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { APP_ORIGIN, ensureSignedIn, snap, startLoopbackServer } from "./helpers";

test.describe.configure({ mode: "serial" });

let target: Server;
let targetUrl = "";
const received: { sku: string; line: number }[] = [];

test.beforeAll(async () => {
  ({ server: target, url: targetUrl } = await startLoopbackServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk));
    req.on("end", () => {
      const line = JSON.parse(body) as { sku: string; line: number };
      received.push(line);
      // One SKU the stand-in inventory does not know: that item fails for good (HTTP 422 is not retried).
      const known = line.sku !== "NOPE";
      res.writeHead(known ? 201 : 422, { "content-type": "application/json" }).end(JSON.stringify(known ? { reserved: line.sku } : { error: "unknown sku" }));
    });
  }));
});
test.afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const inspector = (page: Page) => page.getByRole("complementary", { name: "Step settings panel" });

async function closeInspector(page: Page) {
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
  await expect(inspector(page)).toHaveCount(0);
}

async function waitForRun(page: Page, runId: string, status: string) {
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe(status);
}

test("a for-each flow built in the browser runs its HTTP step once per item, and the run log counts the items", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await ensureSignedIn(page);
  expect((await page.request.patch("/api/v1/workspace", { data: { allowedHosts: ["127.0.0.1"] }, headers: APP_ORIGIN })).status()).toBe(200);

  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByLabel("Name").fill("Reserve order lines");
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page.getByRole("heading", { name: "Reserve order lines" })).toBeVisible();
  await page.getByRole("button", { name: "Add Webhook", exact: true }).dragTo(page.locator(".react-flow__pane"), { targetPosition: { x: 160, y: 120 } });
  await expect(node(page, "webhook")).toBeVisible();
  await closeInspector(page);

  // For each, after the trigger, from the quick-add search.
  await node(page, "webhook").getByRole("button", { name: "Add a step after Webhook" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("for each");
  await page.keyboard.press("Enter");
  await expect(node(page, "for_each")).toBeVisible();
  // Two ports, labelled.
  await expect(node(page, "for_each")).toContainText("Each item");
  await expect(node(page, "for_each")).toContainText("Done");
  await inspector(page).getByLabel("The array to loop over").fill("{{ trigger.body.lines }}");
  await inspector(page).getByLabel("Items in flight at once").fill("2");
  await expect(node(page, "for_each")).toContainText("Each of {{ trigger.body.lines }} · 2 at a time");
  await closeInspector(page);

  // The HTTP request on the "Each item" port reads item and itemIndex.
  await node(page, "for_each").getByRole("button", { name: "Add a step after For each (Each item)" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("HTTP");
  await page.keyboard.press("Enter");
  await expect(node(page, "http_request")).toBeVisible();
  await inspector(page).getByLabel("Step name").pressSequentially("Reserve stock");
  await inspector(page).getByLabel("URL", { exact: true }).pressSequentially(`${targetUrl}/reserve`);
  await inspector(page).getByLabel("JSON body").fill('{ "sku": "{{ item.sku }}", "line": "{{ itemIndex }}" }');
  await expect(inspector(page).getByText(/Unknown name/)).toHaveCount(0);
  // The variable picker offers the item.
  await inspector(page).getByRole("textbox", { name: "URL", exact: true }).locator("xpath=..").getByRole("button", { name: "Insert a variable" }).click();
  await expect(page.getByRole("dialog", { name: "Insert a variable" }).getByRole("button", { name: /^itemIndex/ })).toBeVisible();
  await page.keyboard.press("Escape");
  await closeInspector(page);
  await page.getByRole("button", { name: "Tidy up (Shift L)" }).click();
  await expect(page.getByText("All changes saved")).toBeVisible();
  await snap(page, "for-each-01-flow");

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Published version 1")).toBeVisible();
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(page.getByText("Active: the trigger URL now starts runs.")).toBeVisible();

  const flowId = page.url().split("/").pop();
  const { endpoints } = await (await page.request.get(`/api/v1/endpoints?flowId=${flowId}`)).json();
  const hookUrl = endpoints[0].url as string;

  // Three lines: three requests, and every item succeeded.
  const ok = await page.request.post(hookUrl, { data: { order: 1, lines: [{ sku: "A-1" }, { sku: "B-2" }, { sku: "C-3" }] } });
  expect(ok.status()).toBe(202);
  const okRun = (await ok.json()) as { runId: string };
  await waitForRun(page, okRun.runId, "succeeded");
  expect(received.map((line) => line.sku).sort()).toEqual(["A-1", "B-2", "C-3"]);
  expect(received.map((line) => line.line).sort()).toEqual([0, 1, 2]);
  await page.goto(`/runs/${okRun.runId}`);
  await expect(page.getByTestId("node-status-http_request")).toHaveText("3/3 items");
  await expect(page.getByRole("list", { name: "Steps" })).toContainText("3 items · 3 succeeded");

  // Five lines, the fourth unknown: the loop fails at that item and the fifth never starts.
  const bad = await page.request.post(hookUrl, { data: { order: 2, lines: [{ sku: "A-1" }, { sku: "B-2" }, { sku: "C-3" }, { sku: "NOPE" }, { sku: "E-5" }] } });
  const badRun = (await bad.json()) as { runId: string };
  await waitForRun(page, badRun.runId, "failed");
  await page.goto(`/runs/${badRun.runId}`);
  await expect(page.getByRole("alert").filter({ hasText: "Run failed" })).toContainText('Item 3 failed at "http_request"');
  await expect(page.getByTestId("node-status-http_request")).toHaveText("3/5 items · 1 failed");
  const steps = page.getByRole("list", { name: "Steps" });
  await expect(steps).toContainText("5 items · 3 succeeded · 1 failed · 1 not started");
  await steps.getByRole("button", { name: /Reserve stock/ }).click();
  await expect(page.getByTestId("items-summary")).toHaveText("5 items · 3 succeeded · 1 failed · 1 not started");
  // Each item opens to its own attempt: the failed one shows the answer it got.
  const items = page.getByRole("list", { name: "Each item", exact: true });
  await expect(items.getByRole("listitem")).toHaveCount(4);
  await items.getByText("Item 3", { exact: true }).click();
  await expect(items.getByRole("group", { name: "Error" })).toContainText("answered HTTP 422");
  await snap(page, "for-each-02-run-log");
});
