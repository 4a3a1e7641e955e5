// Every webhook endpoint setting from the trigger inspector, as a user connecting Stripe does it:
// paste Stripe's whsec_… secret, restrict the source IPs, save once, publish, then a correctly
// signed Stripe request is accepted and an unsigned one is refused and listed with its reason.
import { createHmac } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { signedInPage } from "./helpers";

test.describe.configure({ mode: "serial", timeout: 120_000 });

const STRIPE_SECRET = "whsec_e2eStripeDashboardSecret7Qx2";

/** Screenshots of the changed screens, for a person to look at. */
const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/trigger-settings-${process.env.E2E_PORT || 3123}-${name}.png`, fullPage: true });

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser, { width: 1280, height: 900 });
});
test.afterAll(() => page.close());

const inspector = () => page.getByRole("complementary", { name: "Step settings panel" });
const settings = () => inspector().getByRole("form", { name: "Webhook settings" });

async function createFlowWithTrigger(name: string, palette: string, nodeId: string) {
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await page.getByRole("button", { name: `Add ${palette}`, exact: true }).dragTo(page.locator(".react-flow__pane"), { targetPosition: { x: 160, y: 100 } });
  await expect(page.getByTestId(`node-${nodeId}`)).toBeVisible();
  // The endpoint exists once the draft holding the trigger is saved.
  await expect(inspector().getByRole("textbox", { name: "Webhook URL" })).toHaveValue(/\/api\/hooks\//);
}

function stripeSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

test("connects a Stripe-signed endpoint with a pasted secret and an IP allowlist, then refuses an unsigned request", async () => {
  await createFlowWithTrigger("Stripe payments", "Payment event", "payment");
  // The payment preset: Stripe signatures, dedupe on the event id, a secret generated until one is pasted.
  await expect(settings().getByLabel("Authentication scheme")).toHaveValue("stripe");
  await expect(page.getByTestId("security-payment")).toHaveText("Stripe signature · dedupe on id");
  await expect(settings().getByLabel("Dedupe on")).toHaveValue("body");
  await expect(settings().getByLabel("Dedupe body path")).toHaveValue("id");
  await expect(settings().getByTestId("secret-status")).toContainText("A secret is set");
  await shot(page, "01-payment-trigger");

  // Inline validation while typing: the shared schema names what is wrong, field by field.
  await settings().getByLabel("Paste the secret the sender gave you").check();
  await settings().getByLabel("Secret to paste").fill("sk_live_this_is_an_api_key");
  await settings().getByLabel("Allowed IP ranges").fill("127.0.0.0/8\n10.0.0.0/33");
  await settings().getByLabel("Allowed IP ranges").blur();
  await expect(settings().getByText('Stripe signing secrets start with "whsec_"')).toBeVisible();
  await expect(settings().getByText('"10.0.0.0/33": Not an IP address or CIDR range')).toBeVisible();
  await expect(settings().getByLabel("Secret to paste")).toHaveAttribute("aria-invalid", "true");
  await settings().getByRole("button", { name: "Save webhook settings" }).click();
  await expect(settings().getByText("Unsaved changes")).toBeVisible();
  await shot(page, "02-inline-errors");

  // Correct it: Stripe's secret, loopback only (where this test sends from), the generated secret revoked at once.
  await settings().getByLabel("Secret to paste").fill(STRIPE_SECRET);
  await settings().getByLabel("Allowed IP ranges").fill("127.0.0.0/8\n::1");
  await settings().getByLabel("Keep the old secret working for").selectOption({ label: "Stop at once" });
  await expect(settings().getByText("Not an IP address or CIDR range")).toHaveCount(0);
  await settings().getByRole("button", { name: "Save webhook settings" }).click();
  await expect(settings().getByText("Saved", { exact: true })).toBeVisible();
  // A pasted secret is not echoed back; only its last characters identify it.
  await expect(settings().getByTestId("secret-status")).toContainText("ending in …7Qx2");
  await expect(inspector().getByRole("status", { name: "New signing secret" })).toHaveCount(0);
  await expect(page.getByTestId("security-payment")).toHaveText("Stripe signature · 2 IPs · dedupe on id");
  await shot(page, "03-saved");

  // Saved for real: after a reload the settings come back and the secret is nowhere on the page.
  await page.reload();
  await page.getByTestId("node-payment").click();
  await expect(settings().getByLabel("Allowed IP ranges")).toHaveValue("127.0.0.0/8\n::1");
  await expect(settings().getByLabel("Keep the current secret")).toBeChecked();
  expect(await page.content()).not.toContain(STRIPE_SECRET);
  const url = await inspector().getByRole("textbox", { name: "Webhook URL" }).inputValue();

  // A flow needs an action to publish: add one after the trigger with its "+".
  await page.getByRole("button", { name: "Add a step after Payment event" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("respond");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("node-respond")).toBeVisible();
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Published version 1")).toBeVisible();
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(page.getByText("Active: the trigger URL now starts runs.")).toBeVisible();

  // Stripe's signature (t=<ts>,v1=<hex HMAC-SHA256 of "<ts>.<body>">) with the pasted secret is accepted.
  const body = JSON.stringify({ id: "evt_e2e_1", type: "checkout.session.completed", data: { object: { amount_total: 4900 } } });
  const signed = await page.request.post(url, { data: body, headers: { "content-type": "application/json", "stripe-signature": stripeSignature(STRIPE_SECRET, body) } });
  expect(signed.status()).toBe(202);
  // Larger than what a refused request keeps (4,096 bytes).
  const unsignedBody = JSON.stringify({ id: "evt_e2e_2", type: "checkout.session.completed", padding: "x".repeat(6000) });
  const unsigned = await page.request.post(url, { data: unsignedBody, headers: { "content-type": "application/json" } });
  expect(unsigned.status()).toBe(401);
  expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe("unauthorized");

  // The deliveries view lists both, the refused one with its reason.
  await page.getByRole("link", { name: "Deliveries" }).click();
  const rows = page.getByRole("listitem").filter({ hasText: "Stripe payments" });
  await expect(rows.filter({ hasText: "accepted · 202" })).toHaveCount(1);
  const refused = rows.filter({ hasText: "rejected · 401" });
  await expect(refused).toContainText("unauthorized");
  await refused.getByRole("button").click();
  await expect(page.getByText("answered 401 (unauthorized)")).toBeVisible();
  await expect(page.getByText(`Body — only the first 4,096 of ${unsignedBody.length.toLocaleString("en-US")} bytes were kept`)).toBeVisible();
  await shot(page, "04-deliveries");

  // The allowlist is enforced: with only a range this test is not in, even a signed request is refused.
  await page.goBack();
  await page.getByTestId("node-payment").click();
  await settings().getByLabel("Allowed IP ranges").fill("203.0.113.0/24");
  await settings().getByLabel("Dedupe window").selectOption({ label: "3 days" });
  await settings().getByRole("button", { name: "Save webhook settings" }).click();
  await expect(settings().getByText("Saved", { exact: true })).toBeVisible();
  await expect(page.getByTestId("security-payment")).toHaveText("Stripe signature · 1 IP · dedupe on id");
  const other = JSON.stringify({ id: "evt_e2e_3", type: "checkout.session.completed" });
  const outside = await page.request.post(url, { data: other, headers: { "content-type": "application/json", "stripe-signature": stripeSignature(STRIPE_SECRET, other) } });
  expect(outside.status()).toBe(403);
  await page.getByRole("link", { name: "Deliveries" }).click();
  await expect(rows.filter({ hasText: "rejected · 403" })).toContainText("ip not allowed");
});

test("a generated secret is shown once; HMAC header, encoding and prefix; response mode with a timeout", async () => {
  await createFlowWithTrigger("GitHub pushes", "Webhook", "webhook");
  await expect(page.getByTestId("security-webhook")).toHaveText("No signature");
  await settings().getByLabel("Authentication scheme").selectOption({ label: "HMAC signature" });
  await expect(settings().getByLabel("Generate a new secret")).toBeChecked();
  await settings().getByLabel("Signature header").fill("X-Hub-Signature-256");
  await settings().getByLabel("Signature encoding").selectOption("hex");
  await settings().getByLabel("Signature prefix").fill("sha256=");
  await settings().getByLabel("Rate limit per minute").fill("0");
  await settings().getByLabel("Rate limit per minute").blur();
  await expect(settings().getByText("Allow at least 1 request per minute, or leave empty for no limit")).toBeVisible();
  await settings().getByLabel("Rate limit per minute").fill("600");
  await settings().getByLabel("Wait for the Respond step and answer with its response").check();
  await settings().getByLabel("Wait at most (seconds)").fill("8");
  await settings().getByRole("button", { name: "Save webhook settings" }).click();
  await expect(settings().getByText("Saved", { exact: true })).toBeVisible();

  const shown = inspector().getByRole("status", { name: "New signing secret" });
  await expect(shown).toBeInViewport();
  const secret = await shown.getByLabel("New signing secret value").inputValue();
  expect(secret.length).toBeGreaterThanOrEqual(40);
  await expect(settings().getByTestId("secret-status")).toContainText(`ending in …${secret.slice(-4)}`);
  await expect(page.getByTestId("security-webhook")).toHaveText("HMAC signature · 600/min · waits for Respond");
  await shot(page, "05-generated-secret");

  // Never again: closing the panel or reloading loses it for good.
  await page.reload();
  await page.getByTestId("node-webhook").click();
  await expect(settings().getByLabel("Signature header")).toHaveValue("x-hub-signature-256");
  await expect(settings().getByLabel("Signature prefix")).toHaveValue("sha256=");
  await expect(settings().getByLabel("Wait at most (seconds)")).toHaveValue("8");
  await expect(inspector().getByRole("status", { name: "New signing secret" })).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
});

test("listening shows the captured request; a test event on an active flow is kept as the sample and runs nothing, unless the user asks for a test run of the draft", async () => {
  await createFlowWithTrigger("Order intake", "Webhook", "webhook");
  const flowId = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByRole("button", { name: "Add a step after Webhook" }).click();
  await page.getByRole("combobox", { name: "Search steps to add" }).pressSequentially("respond");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("node-respond")).toBeVisible();
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Published version 1")).toBeVisible();
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await expect(page.getByText("Active: the trigger URL now starts runs.")).toBeVisible();

  await page.getByTestId("node-webhook").click();
  await inspector().getByRole("button", { name: "Listen for test event" }).click();
  const testUrl = await inspector().getByRole("textbox", { name: "Test URL" }).inputValue();
  expect(testUrl).toMatch(/\/api\/hooks\/[\w-]+\/test$/);
  await expect(page.getByTestId("curl-example")).toContainText(testUrl);
  await expect(inspector().getByText("Waiting for a request")).toBeVisible();

  const answer = await page.request.post(testUrl, { data: { order: "A-1001", email: "ada@example.com" }, headers: { "x-shop": "acme-store" } });
  expect(answer.status()).toBe(200);
  expect(await answer.json()).toMatchObject({ test: true });
  const captured = inspector().getByRole("region", { name: "Captured request" });
  await expect(captured).toContainText("POST · answered 200 (test event)");
  await expect(captured.getByRole("definition").filter({ hasText: "acme-store" })).toBeVisible();
  await expect(captured.getByLabel("Request body")).toContainText('"email": "ada@example.com"');
  await expect(inspector().getByText("Sample", { exact: true })).toBeVisible();
  await inspector().getByRole("region", { name: "Captured request" }).scrollIntoViewIfNeeded();
  await shot(page, "06-captured-test-event");

  // Nothing ran: the flow is active, but the test URL only captures.
  const runs = (await (await page.request.get(`/api/v1/runs?flowId=${flowId}`)).json()) as { runs: unknown[] };
  expect(runs.runs).toHaveLength(0);

  // Asked for: each test event also runs the draft, as a test run (never a live run of the active version).
  await inspector().getByLabel("Test-run the draft with each test event").check();
  const second = await page.request.post(testUrl, { data: { order: "A-1002", email: "grace@example.com" } });
  expect(second.status()).toBe(200);
  await expect(page.getByText("Test run of the draft started with the test event")).toBeVisible();
  await expect(page.getByText("Test run succeeded.")).toBeVisible();
  const testRuns = (await (await page.request.get(`/api/v1/runs?flowId=${flowId}&includeTests=true`)).json()) as { runs: { isTest: boolean; id: string }[] };
  expect(testRuns.runs).toHaveLength(1);
  expect(testRuns.runs[0].isTest).toBe(true);
  const testRun = (await (await page.request.get(`/api/v1/runs/${testRuns.runs[0].id}`)).json()) as { triggerPayload: { body: unknown } };
  expect(testRun.triggerPayload.body).toEqual({ order: "A-1002", email: "grace@example.com" });
  expect(((await (await page.request.get(`/api/v1/runs?flowId=${flowId}`)).json()) as { runs: unknown[] }).runs).toHaveLength(0);
  await shot(page, "07-test-event-runs-draft");

  // The variable picker offers the sample's fields at once.
  await page.getByTestId("node-respond").click();
  await inspector().getByRole("button", { name: "Insert a variable" }).first().click();
  await expect(page.getByRole("dialog", { name: "Insert a variable" }).getByRole("button", { name: /^order/ })).toBeVisible();
});
