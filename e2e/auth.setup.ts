// The setup project: signs in as the owner once per run and stores the browser state (cookies) for
// every spec of the chromium project, so specs start signed in (playwright.config.ts).
import { test as setup } from "@playwright/test";
import { ensureSignedIn, OWNER_STATE } from "./helpers";

setup("sign in as the owner", async ({ page }) => {
  await ensureSignedIn(page);
  await page.context().storageState({ path: OWNER_STATE });
});
