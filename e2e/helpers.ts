import { mkdirSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

export const PASSWORD = "correct horse battery";

/**
 * The owner's signed-in browser state, written once per run by the setup project (auth.setup.ts) and
 * loaded by every spec of the chromium project (playwright.config.ts): specs do not sign in themselves.
 */
export const OWNER_STATE = `e2e/.auth/owner-${process.env.E2E_PORT || 3123}.json`;

/** What the browser adds to the app's own API writes; the API refuses cookie writes without it (CSRF). */
export const APP_ORIGIN = { origin: `http://localhost:${process.env.E2E_PORT || 3123}` };

/** Saves a full-page screenshot under e2e/screenshots/ for people to look at. */
export async function snap(page: Page, name: string) {
  mkdirSync("e2e/screenshots", { recursive: true });
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await submitSignIn(page, email);
  await expect(page.getByRole("heading", { name: "Flows", exact: true })).toBeVisible();
}

/**
 * Fills and submits the sign-in form. The app allows a few sign-ins per 10 s per client address
 * (Better Auth's rule, in production builds), and the specs that test signing in and the setup
 * project all sign in from 127.0.0.1: when the app answers 429, wait the window out as a person
 * would, then submit again.
 */
async function submitSignIn(page: Page, email: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  for (let attempt = 1; ; attempt++) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/api/auth/sign-in") && r.request().method() === "POST"),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    if (response.status() !== 429 || attempt === 3) return;
    await page.waitForTimeout(11_000);
  }
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

export const OWNER = { email: "owner@example.com", name: "Olivia Owner" };

/**
 * Signs in as the owner account (created by e2e/foundation.spec.ts, or here on a fresh instance)
 * and opens the owner's first workspace. With the stored state (OWNER_STATE) the sign-in page
 * sends a signed-in browser straight on, and nothing is submitted.
 */
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
    await submitSignIn(page, OWNER.email);
  }
  await expect(page.getByRole("heading", { name: "Flows", exact: true })).toBeVisible();
  // The owner ends foundation.spec.ts in its second workspace; use the first.
  const workspace = page.getByLabel("Workspace");
  if ((await workspace.locator("option:checked").textContent()) !== "My workspace") {
    await workspace.selectOption({ label: "My workspace" });
    await expect(workspace.locator("option:checked")).toHaveText("My workspace");
  }
}

/** A real HTTP server on loopback (a CRM, a chat service) for a spec to talk to; close it in afterAll. */
export async function startLoopbackServer(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Answers every request with one status and JSON body, after reading the request. */
export function answerWith(status: number, body: unknown): RequestListener {
  return (req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body)));
  };
}

/** One page for a whole spec file, signed in as the owner through the stored state, in the owner's first workspace. */
export async function signedInPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport, storageState: OWNER_STATE });
  await ensureSignedIn(page);
  return page;
}

/** Creates, publishes and activates a flow through the API; answers its id and webhook URL. */
export async function liveFlow(api: APIRequestContext, name: string, graph: { nodes: unknown[]; edges: unknown[] }): Promise<{ flowId: string; url: string }> {
  const created = await api.post("/api/v1/flows", { data: { name, graph }, headers: APP_ORIGIN });
  expect(created.status()).toBe(201);
  const flowId = ((await created.json()) as { id: string }).id;
  const published = await api.post(`/api/v1/flows/${flowId}/publish`, { data: {}, headers: APP_ORIGIN });
  expect(published.status(), await published.text()).toBe(201);
  expect((await api.post(`/api/v1/flows/${flowId}/activate`, { data: {}, headers: APP_ORIGIN })).status()).toBe(200);
  const { endpoints } = (await (await api.get(`/api/v1/endpoints?flowId=${flowId}`)).json()) as { endpoints: { url: string }[] };
  return { flowId, url: endpoints[0].url };
}

/** Creates an empty flow from the flows page and waits for its builder. */
export async function createFlow(page: Page, name: string) {
  await page.goto("/flows");
  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.locator(".react-flow__pane")).toBeVisible();
}

/** Drags a palette item onto the canvas at a point relative to the pane's top-left corner. */
export async function dragFromPalette(page: Page, title: string, x: number, y: number) {
  const pane = page.locator(".react-flow__pane");
  await page.getByRole("button", { name: `Add ${title}`, exact: true }).dragTo(pane, { targetPosition: { x, y } });
}
