// Pages carry security headers, and the app works under its Content-Security-Policy: no
// violation is reported while signing in, building a flow on the canvas and opening the run log.
import { expect, test, type Page } from "@playwright/test";
import { ensureSignedIn } from "./helpers";

// Signing in is part of what is checked under the CSP: these tests start signed out.
test.use({ storageState: { cookies: [], origins: [] } });

/** Records every CSP violation the page reports (script, style, connect, frame…). */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("reportCspViolation", (line: string) => violations.push(line));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportCspViolation(line: string): void }).reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("pages send a nonce-based CSP without unsafe-eval and the other security headers", async ({ page }) => {
  const response = await page.goto("/sign-in");
  const headers = response!.headers();
  const csp = headers["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  // Each response has its own nonce, and Next's scripts carry it.
  const nonce = csp.match(/'nonce-([^']+)'/)![1];
  expect((await page.request.get("/sign-in")).headers()["content-security-policy"]).not.toContain(nonce);
  expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
});

test("the app works under its CSP: sign in, build a flow, open the run log", async ({ page }) => {
  const violations = await watchViolations(page);
  await ensureSignedIn(page);

  await page.getByRole("button", { name: "New flow" }).first().click();
  await page.getByLabel("Name").fill("CSP check");
  await page.getByRole("button", { name: "Create flow" }).click();
  await expect(page.getByRole("heading", { name: "CSP check" })).toBeVisible();
  // The canvas (React Flow positions nodes with style attributes) renders and takes a dragged step.
  const pane = page.locator(".react-flow__pane");
  await expect(pane).toBeVisible();
  const nodes = await page.locator(".react-flow__node").count();
  await page.getByRole("button", { name: "Add HTTP request", exact: true }).dragTo(pane, { targetPosition: { x: 460, y: 80 } });
  await expect(page.locator(".react-flow__node")).toHaveCount(nodes + 1);

  await page.goto("/runs");
  await expect(page.getByRole("heading", { name: "Runs", exact: true })).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByLabel("Allowed internal hosts")).toBeVisible();

  expect(violations).toEqual([]);
});
