// The run detail and the editor's Problems panel as a person reads them (issue 17, point 5): the
// run's canvas at its real size, step names rather than ids or kinds, errors as message, code and
// status with the details folded away, identical attempts shown once, a scheduled retry as
// "retrying at …" with a countdown, and publish problems under field labels.
import type { Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { answerWith, APP_ORIGIN, liveFlow as publishLive, signedInPage, startLoopbackServer } from "./helpers";

test.describe.configure({ mode: "serial", timeout: 120_000 });

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/run-detail-${process.env.E2E_PORT || 3123}-${name}.png`, fullPage: true });

// A CRM that is down: every request is answered 503 with a JSON reason.
let crm: Server;
let crmUrl = "";
test.beforeAll(async () => {
  ({ server: crm, url: crmUrl } = await startLoopbackServer(answerWith(503, { error: "CRM is down for maintenance" })));
});
test.afterAll(() => crm.close());

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser, { width: 1280, height: 900 });
  expect((await page.request.patch("/api/v1/workspace", { data: { allowedHosts: ["127.0.0.1"] }, headers: APP_ORIGIN })).status()).toBe(200);
});
test.afterAll(() => page.close());

const node = (id: string, kind: string, name: string, config: Record<string, unknown>, x: number) => ({ id, kind, name, config, position: { x, y: 0 } });

const liveFlow = (name: string, nodes: unknown[], edges: unknown[]) => publishLive(page.request, name, { nodes, edges });

async function startRun(url: string, body: unknown): Promise<string> {
  const answer = await page.request.post(url, { data: body });
  expect(answer.status()).toBe(202);
  return ((await answer.json()) as { runId: string }).runId;
}

const stepsList = () => page.getByRole("list", { name: "Steps" });

test("a failed run reads well: readable canvas, step names, one entry for identical attempts, the error folded to its essentials", async () => {
  const { url } = await liveFlow(
    "Leads to a CRM that is down",
    [
      node("hook", "webhook_trigger", "", {}, 0),
      node("shape", "transform", "", { mode: "fields", fields: [{ path: "email", value: "{{ trigger.body.email }}" }] }, 300),
      node("crm", "http_request", "Create CRM lead", { method: "POST", url: `${crmUrl}/leads`, jsonBody: { email: "{{ steps.shape.email }}" }, retry: { maxAttempts: 3, initialDelayMs: 200 } }, 600),
    ],
    [
      { id: "e1", source: "hook", target: "shape" },
      { id: "e2", source: "shape", target: "crm" },
    ],
  );
  const runId = await startRun(url, { email: "ada@example.com" });
  await expect.poll(async () => ((await (await page.request.get(`/api/v1/runs/${runId}`)).json()) as { status: string }).status, { timeout: 60_000 }).toBe("failed");
  await page.goto(`/runs/${runId}`);

  // Names, never node ids: unnamed steps go by their kind's title.
  await expect(stepsList().getByRole("listitem")).toHaveCount(3);
  await expect(stepsList().getByRole("listitem").nth(0)).toContainText("Webhook");
  await expect(stepsList().getByRole("listitem").nth(1)).toContainText("Transform");
  await expect(stepsList()).not.toContainText("shape");
  // Three identical failures: one entry, one badge.
  const crmRow = stepsList().getByRole("listitem").nth(2);
  await expect(crmRow).toContainText("Create CRM lead");
  await expect(crmRow).toContainText("attempts 1–3, same outcome");
  await expect(crmRow.getByText("failed", { exact: true })).toHaveCount(1);
  await expect(page.getByRole("alert").filter({ hasText: "Run failed" })).toContainText("Run failed at “Create CRM lead”:");

  // The failed step is open: its name and kind in the header, the error as message, code and status.
  await expect(page.getByRole("heading", { name: "Create CRM lead", level: 2 })).toBeVisible();
  await expect(page.getByText("HTTP request · 3 attempts")).toBeVisible();
  await expect(page.getByRole("region", { name: "attempts 1–3" })).toContainText("Attempts 1–3 ended the same way");
  const error = page.getByRole("group", { name: "Error" });
  await expect(error).toHaveCount(1);
  await expect(error).toContainText(`POST ${crmUrl} answered HTTP 503`);
  await expect(error.getByRole("definition").filter({ hasText: "unexpected_status" })).toBeVisible();
  await expect(error.getByRole("definition").filter({ hasText: "HTTP 503" })).toBeVisible();
  // The response body waits behind "Details".
  await expect(page.getByText("CRM is down for maintenance")).toBeHidden();
  await error.getByText("Details").click();
  await expect(page.getByText("CRM is down for maintenance")).toBeVisible();

  // The canvas at its real size: nodes no wider than drawn, the kind not repeating the name, the status on one line.
  const crmNode = page.locator('.react-flow__node[data-id="crm"]');
  expect((await crmNode.boundingBox())!.width).toBeLessThanOrEqual(200);
  await expect(page.locator('.react-flow__node[data-id="shape"]').getByText("Transform", { exact: true })).toHaveCount(1);
  for (const id of ["hook", "shape", "crm"]) {
    const status = page.getByTestId(`node-status-${id}`);
    await expect(status).toBeVisible();
    expect((await status.boundingBox())!.height).toBeLessThan(20);
  }
  await expect(page.getByTestId("node-status-shape")).toHaveText(/^succeeded · \d+ ms$/);
  await shot(page, "01-failed-run");
});

test("a step waiting for its scheduled retry says when, with a countdown, instead of failed", async () => {
  const { url } = await liveFlow(
    "Leads with a patient retry",
    [
      node("hook", "webhook_trigger", "Lead form", {}, 0),
      node("crm", "http_request", "Create CRM lead", { method: "POST", url: `${crmUrl}/leads`, retry: { maxAttempts: 3, initialDelayMs: 600_000 } }, 300),
    ],
    [{ id: "e1", source: "hook", target: "crm" }],
  );
  const runId = await startRun(url, { email: "grace@example.com" });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("node-status-crm")).toHaveText("retrying", { timeout: 30_000 });
  const row = stepsList().getByRole("listitem").filter({ hasText: "Create CRM lead" });
  await expect(row).toContainText(/retrying at .+ \(in \d+ min \d+ s\)/);
  await expect(row.getByText("retrying", { exact: true })).toBeVisible();
  await expect(row.getByText("failed", { exact: true })).toHaveCount(0);
  await row.click();
  const notice = page.getByRole("status").filter({ hasText: "Retrying at" });
  await expect(notice).toBeVisible();
  // The countdown moves.
  const before = await notice.textContent();
  await expect.poll(() => notice.textContent(), { timeout: 5_000 }).not.toBe(before);
  await shot(page, "02-retrying");

  // Cancelled, the retry will never come: the attempt is what it was, failed.
  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByText("cancelled", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("node-status-crm")).toContainText("failed");
  await expect(row).not.toContainText("retrying at");
});

test("the Problems panel names steps and field labels, not config paths", async () => {
  const created = await page.request.post("/api/v1/flows", {
    headers: APP_ORIGIN,
    data: {
      name: "Half-written lead flow",
      graph: {
        nodes: [
          node("hook", "webhook_trigger", "Lead form", {}, 0),
          node("crm", "http_request", "Create CRM lead", { method: "POST", url: `${crmUrl}/leads`, jsonBody: { email: "{{ trigger.body.email" } }, 300),
        ],
        edges: [{ id: "e1", source: "hook", target: "crm" }],
      },
    },
  });
  const flowId = ((await created.json()) as { id: string }).id;
  await page.goto(`/flows/${flowId}`);
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const problems = page.getByRole("complementary", { name: "Problems" });
  await expect(problems).toContainText("Create CRM lead · JSON body › email");
  await expect(problems).toContainText('Unclosed "{{" at position 0');
  await expect(problems).not.toContainText("jsonBody.email");
  await shot(page, "03-problems");
});
