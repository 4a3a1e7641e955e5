// Accounts, workspaces and flows as a new user meets them, in the production build.
import { expect, test } from "@playwright/test";
import { APP_ORIGIN, PASSWORD, signIn, signOut, snap } from "./helpers";

test.describe.configure({ mode: "serial" });

const OWNER = "owner@example.com";
const VIEWER = "viewer@example.com";
let ownerFlowUrl = "";
let invitationLink = "";

test("the app started as `npm start` runs on its own embedded PostgreSQL server", async ({ request }) => {
  const health = await (await request.get("/api/health")).json();
  expect(health.components.database).toEqual({ status: "ok", detail: expect.stringMatching(/^PostgreSQL \(embedded\) in .*switchyard-e2e-\d+\/postgres$/) });
  expect(health.components.engine.status).toBe("ok");
});

test("the first user signs up, owns a workspace and creates a flow", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await snap(page, "01-sign-in");
  await page.getByRole("link", { name: "Create the first account" }).click();

  await page.getByLabel("Name").fill("Olivia Owner");
  await page.getByLabel("Email").fill(OWNER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByRole("heading", { name: "Create your first flow" })).toBeVisible();
  await expect(page.getByLabel("Workspace")).toHaveValue(/.+/);
  await expect(page.getByLabel("Workspace").locator("option:checked")).toHaveText("My workspace");
  await snap(page, "02-flows-empty");

  await page.getByRole("button", { name: "New flow" }).click();
  await page.getByLabel("Name").fill("Website leads");
  await page.getByLabel("Description").fill("Form submissions to the CRM");
  await snap(page, "03-new-flow-dialog");
  await page.getByRole("button", { name: "Create flow" }).click();

  await expect(page.getByRole("heading", { name: "Website leads" })).toBeVisible();
  ownerFlowUrl = page.url();
  await snap(page, "04-flow-page");

  await page.getByRole("link", { name: "Flows", exact: true }).first().click();
  await expect(page.getByRole("link", { name: "Website leads" })).toBeVisible();
  await expect(page.getByText("Form submissions to the CRM")).toBeVisible();
  await snap(page, "05-flows-list");
});

test("a signed-out visitor cannot see the app and a closed sign-up says why", async ({ page }) => {
  await page.goto(ownerFlowUrl);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.goto("/sign-up");
  await expect(page.getByText("invite-only")).toBeVisible();
});

test("the owner creates a second workspace and invites a viewer to it", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, OWNER);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("New workspace name").fill("Partners");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByLabel("Workspace").locator("option:checked")).toHaveText("Partners");
  await expect(page.getByRole("heading", { name: "Create your first flow" })).toBeVisible();

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Invite by email").fill(VIEWER);
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Create invitation" }).click();
  await expect(page.getByText("Invitation created")).toBeVisible();
  await page.getByRole("button", { name: `Copy invitation link for ${VIEWER}` }).click();
  invitationLink = await page.evaluate(() => navigator.clipboard.readText());
  expect(invitationLink).toMatch(/\/invite\//);
  await snap(page, "06-settings-invite");
  await signOut(page);
});

test("the invited viewer joins, sees only that workspace, and cannot change it", async ({ page }) => {
  await page.goto(invitationLink);
  await expect(page.getByText("Partners")).toBeVisible();
  await page.getByRole("link", { name: "Create account" }).click();
  await expect(page.getByLabel("Email")).toHaveValue(VIEWER);
  await page.getByLabel("Name").fill("Vic Viewer");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "Join Partners" }).click();

  await expect(page.getByRole("heading", { name: "Flows", exact: true })).toBeVisible();
  await expect(page.getByLabel("Workspace").locator("option")).toHaveText(["Partners"]);
  await expect(page.getByText("read-only access")).toBeVisible();
  await expect(page.getByRole("button", { name: "New flow" })).toHaveCount(0);
  await snap(page, "07-viewer-flows");

  // The first workspace's flow does not exist for this user, by URL or by API.
  await page.goto(ownerFlowUrl);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const flowId = ownerFlowUrl.split("/").pop();
  const api = await page.request.get(`/api/v1/flows/${flowId}`);
  expect(api.status()).toBe(404);
  const create = await page.request.post("/api/v1/flows", { data: { name: "Sneaky" }, headers: APP_ORIGIN });
  expect(create.status()).toBe(403);
  await snap(page, "08-viewer-404");

  await page.goto("/flows");
  await signOut(page);
});

test("the owner signs back in and still finds the flow", async ({ page }) => {
  await signIn(page, OWNER);
  await page.getByLabel("Workspace").selectOption({ label: "My workspace" });
  await expect(page.getByRole("link", { name: "Website leads" })).toBeVisible();
  await signOut(page);
});
