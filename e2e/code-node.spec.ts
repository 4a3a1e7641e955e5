// A code step as a user builds it: added after a webhook trigger, written in the inspector's
// JavaScript editor (line numbers, highlighting), refused at publish while it does not compile
// (with the line and column), then published, run by a real webhook request, and read back in the
// run log: the returned value as the step's output and its console.log line under "Console".
import { expect, test, type Page } from "@playwright/test";
import { ensureSignedIn, snap } from "./helpers";

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const inspector = (page: Page) => page.getByRole("complementary", { name: "Step settings panel" });

/** Replaces the editor's text the way a paste does (typing would auto-indent each line). */
async function replaceCode(page: Page, source: string) {
  const editor = inspector(page).getByRole("textbox", { name: "JavaScript" });
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(source);
  await expect(editor).toContainText(source.split("\n")[0]);
}

test("a code step: written in the editor, refused at publish until it compiles, run by a webhook, output and console line in the run log", async ({ page }) => {
  await ensureSignedIn(page);
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByLabel("Name").fill("Price orders in code");
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page.locator(".react-flow__pane")).toBeVisible();
  await page.getByRole("button", { name: "Add Webhook", exact: true }).dragTo(page.locator(".react-flow__pane"), { targetPosition: { x: 160, y: 80 } });
  const url = await inspector(page).getByRole("textbox", { name: "Webhook URL" }).inputValue();
  expect(url).toMatch(/\/api\/hooks\//);
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });

  await node(page, "webhook").getByRole("button", { name: "Add a step after Webhook" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("code");
  await page.keyboard.press("Enter");
  await expect(inspector(page).getByRole("heading", { name: "Code" })).toBeVisible();
  // A new code step starts with runnable starter code, numbered and highlighted.
  const editor = inspector(page).getByRole("textbox", { name: "JavaScript" });
  await expect(editor).toContainText("return { received: body };");
  await expect(inspector(page).locator(".cm-lineNumbers .cm-gutterElement", { hasText: /^4$/ })).toBeVisible();
  // The highlighter colours keywords apart from plain text (its style rules apply under the app's CSP).
  const colours = await editor.evaluate((content) => {
    const keyword = [...content.querySelectorAll("span")].find((span) => span.textContent === "const");
    return { keyword: keyword && getComputedStyle(keyword).color, text: getComputedStyle(content).color };
  });
  expect(colours.keyword).toBeTruthy();
  expect(colours.keyword).not.toBe(colours.text);

  await replaceCode(page, "const items = trigger.body.items;\nreturn { count: items.length + };");
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const problems = page.getByRole("complementary", { name: "Problems" });
  await expect(problems).toContainText(/SyntaxError: .*\(line 2, column 32\)/);
  const versions = await page.request.get(`${page.url().replace(/.*\/flows\//, "/api/v1/flows/")}/versions`);
  expect((await versions.json()).versions).toEqual([]);
  await snap(page, "code-01-publish-refused");
  await problems.getByRole("button", { name: "Go to “code”" }).click();

  await replaceCode(
    page,
    [
      "const items = trigger.body.items;",
      "const total = items.reduce((sum, item) => sum + item.qty * item.price, 0);",
      'console.log("order", trigger.body.id, "has", items.length, "items");',
      "return { orderId: trigger.body.id, total, big: total > 50 };",
    ].join("\n"),
  );
  await expect(page.getByText("All changes saved")).toBeVisible();
  await snap(page, "code-02-editor");
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Published version 1")).toBeVisible();
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(page.getByText("Active: the trigger URL now starts runs.")).toBeVisible();

  const response = await page.request.post(url, { data: { id: "ord_7", items: [{ sku: "TEE", qty: 2, price: 20 }, { sku: "MUG", qty: 1, price: 12.5 }] } });
  expect(response.status()).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe("succeeded");

  await page.goto(`/runs/${runId}`);
  await page.getByRole("button", { name: /Code/ }).first().click();
  const console = page.getByRole("region", { name: "Console" });
  await expect(console).toContainText("order ord_7 has 2 items");
  await expect(page.getByText('"orderId": "ord_7"').first()).toBeVisible();
  await expect(page.getByText('"total": 52.5').first()).toBeVisible();
  await snap(page, "code-03-run-log");
});
