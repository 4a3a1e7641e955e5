// The run log as an operator uses it: a failing step retried and dead-lettered, the failed part
// replayed after the target recovers, approvals, cancellation, filters, search and live status.
// The webhook target is a real HTTP server on loopback that this test controls.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { APP_ORIGIN, signedInPage, snap } from "./helpers";

test.describe.configure({ mode: "serial" });

let target: Server;
let targetUrl = "";
let targetHealthy = false;
const received: { path: string; body: string }[] = [];

test.beforeAll(async () => {
  target = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      res.writeHead(targetHealthy ? 201 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(targetHealthy ? { leadId: `lead-${received.length}` } : { error: "CRM is down for maintenance" }));
    });
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});

test.afterAll(() => target.close());

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser, { width: 1280, height: 800 });
});
test.afterAll(() => page.close());

const node = (id: string, kind: string, name: string, config: Record<string, unknown>, x: number) => ({ id, kind, name, config, position: { x, y: 0 } });

/** Creates, publishes and activates a flow through the API; returns its id and webhook URL. */
async function publishedFlow(api: APIRequestContext, name: string, graph: { nodes: unknown[]; edges: unknown[] }) {
  const created = await api.post("/api/v1/flows", { data: { name, graph }, headers: APP_ORIGIN });
  expect(created.status()).toBe(201);
  const flow = await created.json();
  const published = await api.post(`/api/v1/flows/${flow.id}/publish`, { data: {}, headers: APP_ORIGIN });
  expect(published.status(), await published.text()).toBe(201);
  expect((await api.post(`/api/v1/flows/${flow.id}/activate`, { data: {}, headers: APP_ORIGIN })).status()).toBe(200);
  const { endpoints } = await (await api.get(`/api/v1/endpoints?flowId=${flow.id}`)).json();
  return { flowId: flow.id as string, hookUrl: endpoints[0].url as string };
}

async function postHook(api: APIRequestContext, url: string, body: unknown) {
  const res = await api.post(url, { data: body });
  expect(res.status()).toBe(202);
  return (await res.json()) as { deliveryId: string; runId: string };
}

async function runRow(runId: string) {
  return page.locator(`tr[data-run-id="${runId}"]`);
}

let failedRunId = "";
let crmFlowId = "";

test("a failing step is retried with backoff, then the run fails and is dead-lettered", async () => {
  const api = page.request;
  expect((await api.patch("/api/v1/workspace", { data: { allowedHosts: ["127.0.0.1"] }, headers: APP_ORIGIN })).status()).toBe(200);

  const { flowId, hookUrl } = await publishedFlow(api, "Leads to CRM", {
    nodes: [
      node("form", "webhook_trigger", "Lead form", {}, 0),
      node("shape", "transform", "Shape lead", { mode: "fields", fields: [{ path: "email", value: "{{ trigger.body.email }}" }] }, 250),
      node("crm", "http_request", "Create CRM lead", { method: "POST", url: `${targetUrl}/leads`, jsonBody: { email: "{{ steps.shape.email }}" }, retry: { maxAttempts: 3, initialDelayMs: 300 } }, 500),
    ],
    edges: [
      { id: "e1", source: "form", target: "shape" },
      { id: "e2", source: "shape", target: "crm" },
    ],
  });
  crmFlowId = flowId;

  await page.goto("/runs");
  await expect(page.getByRole("heading", { name: "Runs" })).toBeVisible();
  const { runId } = await postHook(api, hookUrl, { email: "grace.runlog@example.com" });
  failedRunId = runId;

  // The run appears and reaches "failed" without a reload (the list polls).
  const row = await runRow(runId);
  await expect(row).toBeVisible();
  await expect(row.getByText("failed", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText("HTTP 503");
  await snap(page, "runlog-01-list-failed");
  expect(received.filter((r) => r.path === "/leads")).toHaveLength(3);

  await row.getByRole("link", { name: runId }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Run failed" })).toContainText("503");
  // Three identical failures are one entry.
  const steps = page.getByRole("list", { name: "Steps" });
  await expect(steps.getByRole("button", { name: /Create CRM lead.*attempts 1–3/ })).toBeVisible();
  await expect(page.getByTestId("node-status-crm")).toContainText("failed");
  await expect(page.getByTestId("node-status-shape")).toContainText("succeeded");
  await page.getByRole("button", { name: /Create CRM lead.*attempts 1–3/ }).click();
  await page.getByRole("group", { name: "Error" }).getByText("Details").click();
  await expect(page.getByText("CRM is down for maintenance").first()).toBeVisible();
  await snap(page, "runlog-02-detail-failed");

  await page.goto("/dead-letters");
  await expect(page.getByRole("link", { name: runId })).toBeVisible();
  await snap(page, "runlog-03-dead-letters");
});

test("replaying only the failed part after the target recovers succeeds without repeating succeeded steps", async () => {
  targetHealthy = true;
  const before = received.length;
  await page.goto(`/runs/${failedRunId}`);
  await page.getByRole("button", { name: "Replay…" }).click();
  await page.getByLabel(/Only the failed part/).check();
  await page.getByRole("button", { name: "Replay", exact: true }).click();

  await expect(page).not.toHaveURL(new RegExp(`/runs/${failedRunId}$`));
  await expect(page.getByText(/retry of failed steps of/)).toBeVisible();
  await expect(page.getByTestId("node-status-crm")).toContainText("succeeded", { timeout: 30_000 });
  await expect(page.getByText("succeeded", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: /Shape lead.*reused/ })).toBeVisible();
  expect(received.length - before).toBe(1);
  expect(JSON.parse(received.at(-1)!.body)).toEqual({ email: "grace.runlog@example.com" });
  await snap(page, "runlog-04-replayed");
});

test("filters and search find the right runs", async () => {
  await page.goto("/runs");
  await page.getByLabel("Status").selectOption("failed");
  await expect(await runRow(failedRunId)).toBeVisible();
  await expect(page.locator("tr[data-run-id]").filter({ hasText: "succeeded" })).toHaveCount(0);

  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Search runs").fill("grace.runlog@example.com");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator("tr[data-run-id]")).toHaveCount(2); // the failed run and its replay
  await page.getByLabel("Search runs").fill(failedRunId);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.locator("tr[data-run-id]")).toHaveCount(1);
  await page.getByLabel("Search runs").fill("nobody@nowhere.example");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("No runs match")).toBeVisible();

  await page.goto(`/runs?flowId=${crmFlowId}`);
  await expect(page.locator("tr[data-run-id]")).toHaveCount(2);
});

test("an approval waits until someone approves it in the run log", async () => {
  const api = page.request;
  const { hookUrl } = await publishedFlow(api, "Refund approvals", {
    nodes: [
      node("hook", "webhook_trigger", "Refund request", {}, 0),
      node("approve", "approval", "Manager approval", { message: "Refund {{ trigger.body.amount }} EUR?" }, 250),
      node("ok", "transform", "Approved", { mode: "fields", fields: [{ path: "refunded", value: "{{ trigger.body.amount }}" }] }, 500),
    ],
    edges: [
      { id: "a1", source: "hook", target: "approve" },
      { id: "a2", source: "approve", sourcePort: "approved", target: "ok" },
    ],
  });
  const { runId } = await postHook(api, hookUrl, { amount: 120 });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("node-status-approve")).toContainText("waiting", { timeout: 30_000 });
  await snap(page, "runlog-05-waiting-approval");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("node-status-ok")).toContainText("succeeded", { timeout: 30_000 });
  await expect(page.getByText("succeeded", { exact: true }).first()).toBeVisible();
});

test("a waiting run can be cancelled", async () => {
  const api = page.request;
  const { hookUrl } = await publishedFlow(api, "Slow follow-up", {
    nodes: [
      node("hook", "webhook_trigger", "Signup", {}, 0),
      node("wait", "delay", "Wait a day", { mode: "duration", duration: { amount: 1, unit: "days" } }, 250),
      node("after", "transform", "Follow up", { mode: "fields", fields: [{ path: "done", value: "yes" }] }, 500),
    ],
    edges: [
      { id: "d1", source: "hook", target: "wait" },
      { id: "d2", source: "wait", target: "after" },
    ],
  });
  const { runId } = await postHook(api, hookUrl, { user: 1 });
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("node-status-wait")).toContainText(/waiting|running/, { timeout: 30_000 });
  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByText("cancelled", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Replay…" })).toBeVisible();
  await expect(page.getByTestId("node-status-after")).toContainText("not reached");
});
