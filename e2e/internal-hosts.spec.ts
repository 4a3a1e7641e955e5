// Internal hosts (issue 17, point 6): the inspector says before publishing that a step's URL or
// its credential's host is an address this workspace may not reach, links to the setting by the
// name the Settings page uses, and a run refused for it points at the same setting.
import type { Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { answerWith, APP_ORIGIN, signedInPage, startLoopbackServer } from "./helpers";

test.describe.configure({ mode: "serial", timeout: 120_000 });

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/internal-hosts-${process.env.E2E_PORT || 3123}-${name}.png`, fullPage: true });

// An internal service on loopback, as a company CRM on the private network would be.
let internal: Server;
let internalUrl = "";
test.beforeAll(async () => {
  ({ server: internal, url: internalUrl } = await startLoopbackServer(answerWith(200, {})));
});
test.afterAll(() => internal.close());

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser, { width: 1280, height: 900 });
});
test.afterAll(() => page.close());

const inspector = () => page.getByRole("complementary", { name: "Step settings panel" });
const warning = () => inspector().getByRole("status", { name: "Destination not reachable" });

test("the inspector warns about an internal destination, links to the setting, and the refused run names it the same way", async () => {
  // The workspace allows no internal host yet.
  expect((await page.request.patch("/api/v1/workspace", { data: { allowedHosts: [] }, headers: APP_ORIGIN })).status()).toBe(200);
  const slack = await page.request.post("/api/v1/credentials", { headers: APP_ORIGIN, data: { name: "Internal chat", type: "slack_webhook", data: { url: `${internalUrl}/hooks/ops` } } });
  expect(slack.status()).toBe(201);
  const credentialId = ((await slack.json()) as { id: string }).id;
  const created = await page.request.post("/api/v1/flows", {
    headers: APP_ORIGIN,
    data: {
      name: "Orders to the internal ERP",
      graph: {
        nodes: [
          { id: "hook", kind: "webhook_trigger", name: "Order placed", config: {}, position: { x: 0, y: 0 } },
          { id: "erp", kind: "http_request", name: "Book in ERP", config: { method: "POST", url: `${internalUrl}/orders`, retry: { maxAttempts: 1 } }, position: { x: 300, y: 0 } },
          { id: "chat", kind: "slack_message", name: "Tell ops", config: { credentialId, text: "New order" }, position: { x: 600, y: 0 } },
        ],
        edges: [
          { id: "e1", source: "hook", target: "erp" },
          { id: "e2", source: "erp", target: "chat" },
        ],
      },
    },
  });
  const flowId = ((await created.json()) as { id: string }).id;

  await page.goto(`/flows/${flowId}`);
  await page.getByTestId("node-erp").click();
  await expect(warning()).toContainText("127.0.0.1 is a loopback address (this machine), which this workspace may not reach: runs of this step will be refused.");
  const link = warning().getByRole("link", { name: "Settings → Workspace → Allowed internal hosts" });
  await expect(link).toHaveAttribute("href", "/settings#allowed-internal-hosts");
  await shot(page, "01-inspector-warning");
  // A public address: no warning.
  const url = inspector().getByRole("textbox", { name: "URL", exact: true });
  await url.fill("https://93.184.215.14/orders");
  await expect(warning()).toHaveCount(0);
  await url.fill(`${internalUrl}/orders`);
  await expect(warning()).toBeVisible();
  // A message step's destination is its credential's URL: checked too, without showing the URL.
  await page.getByTestId("node-chat").click();
  await expect(warning()).toContainText("127.0.0.1 is a loopback address");
  await expect(warning()).not.toContainText("/hooks/ops");
  await expect(page.getByText("All changes saved")).toBeVisible();

  // Published anyway, the run is refused with an error that names the same setting.
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Published version 1")).toBeVisible();
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(page.getByText("Active: the trigger URL now starts runs.")).toBeVisible();
  const { endpoints } = (await (await page.request.get(`/api/v1/endpoints?flowId=${flowId}`)).json()) as { endpoints: { url: string }[] };
  const accepted = await page.request.post(endpoints[0].url, { data: { order: "A-7" } });
  const { runId } = (await accepted.json()) as { runId: string };
  await expect.poll(async () => ((await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe("failed");
  await page.goto(`/runs/${runId}`);
  await expect(page.getByRole("group", { name: "Error" })).toContainText("A workspace admin can allow this host under Settings → Workspace → Allowed internal hosts");
  await shot(page, "02-refused-run");

  // The link leads to the field of that name; allowing the host there clears the warning.
  await page.goto(`/flows/${flowId}`);
  await page.getByTestId("node-erp").click();
  await warning().getByRole("link", { name: "Settings → Workspace → Allowed internal hosts" }).click();
  const field = page.getByLabel("Allowed internal hosts");
  await expect(field).toBeInViewport();
  await field.fill("127.0.0.1");
  await page.getByRole("button", { name: "Save workspace" }).click();
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await page.goto(`/flows/${flowId}`);
  await page.getByTestId("node-erp").click();
  await expect(inspector().getByRole("heading", { name: "HTTP request" })).toBeVisible();
  await expect(warning()).toHaveCount(0);
});
