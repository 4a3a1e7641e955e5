import { mkdirSync } from "node:fs";
import { expect, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery";

/** What the browser adds to the app's own API writes; the API refuses cookie writes without it (CSRF). */
export const APP_ORIGIN = { origin: `http://localhost:${process.env.E2E_PORT || 3123}` };

/** Saves a full-page screenshot under e2e/screenshots/ for people to look at. */
export async function snap(page: Page, name: string) {
  mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Flows", exact: true })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

export const OWNER = { email: "owner@example.com", name: "Olivia Owner" };

/** Signs in as the owner account (created by e2e/foundation.spec.ts, or here when a spec runs alone). */
export async function ensureSignedIn(page: Page) {
  await page.goto("/sign-in");
  const firstAccount = page.getByRole("link", { name: "Create the first account" });
  if (page.url().includes("/sign-in") && (await firstAccount.isVisible())) {
    // A spec run on its own, against a fresh instance: become its first user.
    await firstAccount.click();
    await page.getByLabel("Name").fill(OWNER.name);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
  } else if (page.url().includes("/sign-in")) {
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
  }
  await expect(page.getByRole("heading", { name: "Flows", exact: true })).toBeVisible();
  // The owner ends foundation.spec.ts in its second workspace; use the first.
  const workspace = page.getByLabel("Workspace");
  if ((await workspace.locator("option:checked").textContent()) !== "My workspace") {
    await workspace.selectOption({ label: "My workspace" });
    await expect(workspace.locator("option:checked")).toHaveText("My workspace");
  }
}
