// Error paths as a builder sets them up: an HTTP step whose target answers 500 is set to "Route to
// the error output" in the inspector, its red error output is wired to an alert step, the flow is
// published and run, and the run log shows the failure as handled while the run succeeds.
import type { Server } from "node:http";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { APP_ORIGIN, answerWith, signedInPage, snap, startLoopbackServer } from "./helpers";

test.describe.configure({ mode: "serial" });

let page: Page;
let broken: { server: Server; url: string };
let alerts: { server: Server; url: string };
const alertBodies: string[] = [];

test.beforeAll(async ({ browser }) => {
  broken = await startLoopbackServer(answerWith(500, { error: "inventory service unavailable" }));
  alerts = await startLoopbackServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      alertBodies.push(body);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  page = await signedInPage(browser);
  expect((await page.request.patch("/api/v1/workspace", { data: { allowedHosts: ["127.0.0.1"] }, headers: APP_ORIGIN })).status()).toBe(200);
});
test.afterAll(async () => {
  await page?.close();
  broken?.server.close();
  alerts?.server.close();
});

const node = (id: string) => page.getByTestId(`node-${id}`);
const inspector = () => page.getByRole("complementary", { name: "Step settings panel" });

async function dragBetween(from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x + b.width / 2) / 2, (a.y + b.y + b.height / 2) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

test("route a failing step to its error output in the inspector, publish, run, and see the handled error in the run log", async () => {
  const draft = {
    nodes: [
      { id: "hook", kind: "webhook_trigger", name: "Order placed", config: {}, position: { x: 0, y: 0 } },
      { id: "reserve", kind: "http_request", name: "Reserve stock", config: { method: "POST", url: `${broken.url}/reserve`, jsonBody: { order: "{{ trigger.body.order }}" }, retry: { maxAttempts: 1 } }, position: { x: 300, y: 0 } },
      { id: "alert", kind: "http_request", name: "Alert ops", config: { method: "POST", url: `${alerts.url}/alert`, jsonBody: { failed: "{{ steps.reserve.error.message }}", status: "{{ steps.reserve.error.status }}" } }, position: { x: 620, y: 160 } },
    ],
    edges: [{ id: "e1", source: "hook", sourcePort: "out", target: "reserve" }],
  };
  const created = await page.request.post("/api/v1/flows", { data: { name: "Orders with an error path", graph: draft }, headers: APP_ORIGIN });
  expect(created.status()).toBe(201);
  const flowId = ((await created.json()) as { id: string }).id;

  await page.goto(`/flows/${flowId}`);
  await expect(node("reserve")).toBeVisible();
  // No error output until the step is set to route its failures.
  await expect(node("reserve").locator('.react-flow__handle.source[data-handleid="error"]')).toHaveCount(0);
  await node("reserve").click();
  const onError = inspector().getByLabel("On error");
  await expect(onError).toHaveValue("fail");
  await onError.selectOption({ label: "Route to the error output" });
  const errorPort = node("reserve").locator('.react-flow__handle.source[data-handleid="error"]');
  await expect(errorPort).toBeVisible();
  await expect(node("reserve").getByText("On error")).toBeVisible();
  await snap(page, "error-paths-00-inspector");
  await page.locator(".react-flow__pane").click({ position: { x: 5, y: 5 } });
  await expect(inspector()).toHaveCount(0);

  await dragBetween(errorPort, node("alert").locator(".react-flow__handle.target"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await snap(page, "error-paths-01-canvas");

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText(/Published version 1/)).toBeVisible();
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();

  // The setting is stored in the step's config, the edge leaves the "error" port.
  const saved = (await (await page.request.get(`/api/v1/flows/${flowId}`)).json()) as { graph: { nodes: { id: string; config: Record<string, unknown> }[]; edges: { sourcePort: string; target: string }[] } };
  expect(saved.graph.nodes.find((n) => n.id === "reserve")?.config.onError).toBe("route");
  expect(saved.graph.edges).toContainEqual(expect.objectContaining({ sourcePort: "error", target: "alert" }));

  const { endpoints } = (await (await page.request.get(`/api/v1/endpoints?flowId=${flowId}`)).json()) as { endpoints: { url: string }[] };
  const hook = await page.request.post(endpoints[0].url, { data: { order: 4711 } });
  expect(hook.status()).toBe(202);
  const { runId } = (await hook.json()) as { runId: string };

  await page.goto(`/runs/${runId}`);
  await expect(page.getByText("succeeded", { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  const steps = page.getByRole("list", { name: "Steps" });
  await expect(steps.getByRole("button", { name: /Reserve stock.*handled: routed to error/ })).toBeVisible();
  await expect(page.getByTestId("node-status-reserve")).toContainText("failed (handled)");
  await expect(page.getByTestId("node-status-alert")).toContainText("succeeded");
  await steps.getByRole("button", { name: /Reserve stock/ }).click();
  await expect(page.getByTestId("handled-error")).toHaveText("handled: routed to error");
  await expect(page.getByRole("group", { name: "Error" })).toContainText("HTTP 500");
  await snap(page, "error-paths-02-run-log");
  expect(alertBodies.map((body) => JSON.parse(body) as unknown)).toContainEqual({ failed: expect.stringMatching(/answered HTTP 500/), status: 500 });
});
