// Flows started by a person or a clock (issue 18): a Manual-trigger flow built in the browser,
// published and run with a payload typed into the Run form, then seen in the run log; a Schedule
// trigger whose inspector shows the next five times and whose invalid cron publishing refuses.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { createFlow, dragFromPalette, signedInPage, snap } from "./helpers";

test.describe.configure({ mode: "serial" });

// One signed-in page for the file (the sign-in endpoint is rate limited).
let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser);
});
test.afterAll(async () => {
  await page?.close();
});

const node = (page: Page, id: string) => page.getByTestId(`node-${id}`);
const inspector = (page: Page): Locator => page.getByRole("complementary", { name: "Step settings panel" });

test("builds a flow with a Manual trigger, publishes it and runs it with a typed payload", async () => {
  await createFlow(page, "Greet a customer by hand");
  await dragFromPalette(page, "Manual", 160, 80);
  await expect(node(page, "manual")).toBeVisible();
  await expect(inspector(page).getByRole("heading", { name: "Manual" })).toBeVisible();
  // No webhook URL for a flow someone starts by hand.
  await expect(inspector(page).getByText("Webhook URL")).toHaveCount(0);
  await inspector(page).getByLabel("Example payload").fill('{ "name": "Ada", "plan": "pro" }');

  // A Transform after it, added with the trigger's "+", reading the payload.
  await node(page, "manual").getByRole("button", { name: "Add a step after Manual" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("transform");
  await page.keyboard.press("Enter");
  await expect(node(page, "transform")).toBeVisible();
  await inspector(page).getByRole("button", { name: "Add field" }).click();
  await inspector(page).getByRole("textbox", { name: "Output field" }).fill("greeting");
  await inspector(page).getByRole("textbox", { name: "Value", exact: true }).fill("Hello {{ trigger.body.name }} on {{ trigger.body.plan }}");
  await expect(page.getByText("All changes saved")).toBeVisible();

  // Not published yet: Run waits for a published version.
  const run = page.getByRole("button", { name: "Run", exact: true });
  await expect(run).toBeDisabled();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Published version 1. Run it with the Run button.")).toBeVisible();
  await expect(run).toBeEnabled();

  await run.click();
  const dialog = page.getByRole("dialog", { name: "Run the published flow" });
  await expect(dialog.getByLabel("Payload (JSON)")).toHaveValue('{ "name": "Ada", "plan": "pro" }');
  await dialog.getByLabel("Payload (JSON)").fill("{ not json");
  await dialog.getByRole("button", { name: "Run", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText("The payload is not valid JSON");
  await dialog.getByLabel("Payload (JSON)").fill('{ "name": "Grace", "plan": "team" }');
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  await snap(page, "manual-01-run-form");
  await dialog.getByRole("button", { name: "Run", exact: true }).click();
  await expect(dialog.getByRole("status")).toContainText("Run started.");
  await dialog.getByRole("link", { name: "View run" }).click();

  // The run log shows the run of version 1 with the payload as its body and the step's output.
  await expect(page).toHaveURL(/\/runs\//);
  await expect(page.getByText("succeeded").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('"Grace"').first()).toBeVisible();
  await page.getByRole("button", { name: /^Transform.*attempt 1/ }).click();
  await expect(page.getByText('"greeting": "Hello Grace on team"')).toBeVisible();
  await snap(page, "manual-02-run");
});

test("shows a schedule's next five times in its time zone and refuses to publish an invalid cron", async () => {
  await createFlow(page, "Weekday report");
  await dragFromPalette(page, "Schedule", 160, 80);
  await expect(node(page, "schedule")).toBeVisible();
  await inspector(page).getByLabel("Time zone").selectOption("Asia/Tokyo");
  await inspector(page).getByLabel("Cron expression").fill("30 8 * * 1-5");
  const next = inspector(page).getByRole("region", { name: "Next 5 runs (Asia/Tokyo)" });
  await expect(next.getByRole("listitem")).toHaveCount(5);
  for (const item of await next.getByRole("listitem").all()) await expect(item).toHaveText(/^(Mon|Tue|Wed|Thu|Fri), \d{1,2} \w{3} \d{4}, 08:30$/);
  await expect(node(page, "schedule")).toContainText("30 8 * * 1-5 (Asia/Tokyo)");
  await snap(page, "schedule-01-inspector");

  // A bad expression: the field says why, the preview goes, and publishing refuses with the reason.
  await inspector(page).getByLabel("Cron expression").fill("30 25 * * 1-5");
  await expect(inspector(page).getByText('"30 25 * * 1-5" isn\'t a valid cron expression: hour value 25 is out of range (0-23)').first()).toBeVisible();
  await expect(next).toHaveCount(0);
  await node(page, "schedule").getByRole("button", { name: "Add a step after Schedule" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("transform");
  await page.keyboard.press("Enter");
  await inspector(page).getByRole("button", { name: "Add field" }).click();
  await inspector(page).getByRole("textbox", { name: "Output field" }).fill("at");
  await inspector(page).getByRole("textbox", { name: "Value", exact: true }).fill("{{ trigger.body.scheduledAt }}");
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not published" })).toBeVisible();
  await expect(page.getByText(/hour value 25 is out of range/).first()).toBeVisible();
  await snap(page, "schedule-02-refused");

  // Fixed, it publishes.
  await node(page, "schedule").click();
  await inspector(page).getByLabel("Cron expression").fill("30 8 * * 1-5");
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText(/Published version 1/)).toBeVisible();
});
