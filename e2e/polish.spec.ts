// Polish (issue 17, point 7): the run list says what each request carried and keeps flow names on
// one line, the app header is as wide as the editor, palette labels are whole, the empty state's
// buttons are centred, and the run list and run detail work on a 390 px phone.
import { expect, test, type Page } from "@playwright/test";
import { liveFlow, signedInPage } from "./helpers";

test.describe.configure({ mode: "serial", timeout: 120_000 });

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/polish-${process.env.E2E_PORT || 3123}-${name}.png`, fullPage: true });
const LONG_NAME = "Website leads from the spring campaign landing page into the CRM and the sales channel";

let page: Page;
let flowId = "";
let runId = "";
test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser);
  let url: string;
  ({ flowId, url } = await liveFlow(page.request, LONG_NAME, {
    nodes: [
      { id: "form", kind: "form_trigger", name: "Campaign form", config: {}, position: { x: 0, y: 0 } },
      { id: "shape", kind: "transform", name: "Shape lead", config: { mode: "fields", fields: [{ path: "email", value: "{{ trigger.body.email }}" }] }, position: { x: 300, y: 0 } },
    ],
    edges: [{ id: "e1", source: "form", target: "shape" }],
  }));
  const answer = await page.request.post(url, { form: { name: "Ada Lovelace", email: "ada@example.com", amount: "120", message: "Please call me back" } });
  expect(answer.status()).toBe(202);
  runId = ((await answer.json()) as { runId: string }).runId;
  await expect.poll(async () => ((await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("succeeded");
});
test.afterAll(() => page.close());

/** Whether the page scrolls sideways (something is wider than the window). */
const overflowsSideways = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

test("the run list shows what each request carried and keeps the flow name on one line", async () => {
  await page.goto("/runs");
  const row = page.locator(`tr[data-run-id="${runId}"]`);
  await expect(row.getByTestId("payload-summary")).toHaveText("email: ada@example.com · name: Ada Lovelace · amount: 120");
  const name = row.getByTitle(LONG_NAME);
  await expect(name).toBeVisible();
  // One line: as tall as one line of text, cut with an ellipsis rather than wrapped.
  expect((await name.boundingBox())!.height).toBeLessThan(24);
  expect(await row.locator("time").evaluate((element) => element.getBoundingClientRect().height)).toBeLessThan(24);
  // The API says it too.
  const listed = (await (await page.request.get(`/api/v1/runs?flowId=${flowId}`)).json()) as { runs: { id: string; payloadSummary: string }[] };
  expect(listed.runs[0]).toMatchObject({ id: runId, payloadSummary: "email: ada@example.com · name: Ada Lovelace · amount: 120" });
  await shot(page, "01-runs-list");
});

test("the header is as wide as the editor, and palette labels are whole", async () => {
  await page.goto(`/flows/${flowId}`);
  const header = page.getByRole("banner").first().locator("> div");
  const toolbar = page.getByRole("link", { name: "Flows", exact: true }).last();
  const headerBox = (await header.boundingBox())!;
  expect(headerBox.width).toBe(1280);
  // The logo starts where the editor's toolbar starts.
  const logo = (await page.getByRole("link", { name: "Switchyard home" }).boundingBox())!;
  expect(Math.abs(logo.x - (await toolbar.boundingBox())!.x)).toBeLessThanOrEqual(8);
  // Every palette title fits: nothing is cut off with an ellipsis.
  const cut = await page.getByRole("complementary", { name: "Steps" }).getByRole("button").evaluateAll((buttons) =>
    buttons.map((button) => button.querySelector("span:last-child") as HTMLElement).filter((label) => label && label.scrollWidth > label.clientWidth).map((label) => label.textContent),
  );
  expect(cut).toEqual([]);
  await expect(page.getByRole("button", { name: "Add Microsoft Teams message" })).toBeVisible();
  await shot(page, "02-editor-header-palette");

  // Elsewhere the header keeps the width of the page's content.
  await page.goto("/runs");
  expect((await page.getByRole("banner").first().locator("> div").boundingBox())!.width).toBeLessThanOrEqual(1152);
});

test("the empty flows page centres its buttons under the message", async () => {
  await page.goto("/flows");
  await page.getByLabel("Workspace").selectOption({ label: "Partners" });
  await expect(page.getByRole("heading", { name: "Create your first flow" })).toBeVisible();
  const card = (await page.getByRole("heading", { name: "Create your first flow" }).boundingBox())!;
  const buttons = await Promise.all(["Import", "Templates", "New flow"].map(async (name) => (await page.getByText(name, { exact: true }).locator("xpath=ancestor-or-self::*[self::button or self::label][1]").boundingBox())!));
  const left = Math.min(...buttons.map((b) => b.x));
  const right = Math.max(...buttons.map((b) => b.x + b.width));
  expect(Math.abs((left + right) / 2 - (card.x + card.width / 2))).toBeLessThanOrEqual(2);
  expect(new Set(buttons.map((b) => Math.round(b.y))).size).toBe(1);
  await shot(page, "03-empty-state");
  await page.getByLabel("Workspace").selectOption({ label: "My workspace" });
  await expect(page.getByRole("heading", { name: "Flows", exact: true })).toBeVisible();
});

test("the run list and the run detail work at 390 px", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/runs");
  const card = page.locator(`[data-run-card="${runId}"]`);
  await expect(card).toBeVisible();
  await expect(card).toContainText("email: ada@example.com");
  await expect(card).toContainText("succeeded");
  expect(await overflowsSideways()).toBe(false);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
  await shot(page, "04-runs-390");

  await card.getByRole("link").click();
  await expect(page.getByRole("list", { name: "Steps" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Steps" }).getByRole("listitem")).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Replay…" })).toBeInViewport();
  expect(await overflowsSideways()).toBe(false);
  await page.getByRole("list", { name: "Steps" }).getByRole("button", { name: /Shape lead/ }).click();
  await expect(page.getByRole("heading", { name: "Shape lead", level: 2 })).toBeVisible();
  expect(await overflowsSideways()).toBe(false);
  await shot(page, "05-run-detail-390");
  await page.setViewportSize({ width: 1280, height: 800 });
});
