// Sub-flows as a builder sets them up: a published "Greet" flow is picked in a Call flow step of
// another flow, which is published and run; the run log links the calling run and the called run.
import { expect, test, type Page } from "@playwright/test";
import { APP_ORIGIN, liveFlow, signedInPage, snap } from "./helpers";

test.describe.configure({ mode: "serial" });

let page: Page;
test.beforeAll(async ({ browser }) => {
  page = await signedInPage(browser);
});
test.afterAll(() => page?.close());

const node = (id: string) => page.getByTestId(`node-${id}`);
const inspector = () => page.getByRole("complementary", { name: "Step settings panel" });

test("pick a published flow in a Call flow step, publish, run, and follow the link from the calling run to the called run", async () => {
  const child = await liveFlow(page.request, "Greet a customer", {
    nodes: [
      { id: "hook", kind: "webhook_trigger", name: "Greeting requested", config: {}, position: { x: 0, y: 0 } },
      { id: "greet", kind: "transform", name: "Build greeting", config: { fields: [{ path: "greeting", value: "Hello {{ trigger.body.name }}" }] }, position: { x: 300, y: 0 } },
    ],
    edges: [{ id: "e1", source: "hook", sourcePort: "out", target: "greet" }],
  });

  const draft = {
    nodes: [
      { id: "hook", kind: "webhook_trigger", name: "Signup", config: {}, position: { x: 0, y: 0 } },
      { id: "call", kind: "call_flow", name: "Greet", config: { flowId: "", wait: true, input: { name: "{{ trigger.body.name }}" } }, position: { x: 300, y: 0 } },
      { id: "after", kind: "transform", name: "Use greeting", config: { fields: [{ path: "message", value: "{{ steps.call.result.greet.greeting }}!" }] }, position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: "e1", source: "hook", sourcePort: "out", target: "call" },
      { id: "e2", source: "call", sourcePort: "out", target: "after" },
    ],
  };
  const created = await page.request.post("/api/v1/flows", { data: { name: "Signups with a greeting", graph: draft }, headers: APP_ORIGIN });
  expect(created.status()).toBe(201);
  const flowId = ((await created.json()) as { id: string }).id;

  await page.goto(`/flows/${flowId}`);
  await expect(node("call")).toBeVisible();
  await expect(node("call").getByLabel("Invalid configuration")).toBeVisible();
  await node("call").click();
  const picker = inspector().getByLabel("Flow to call");
  // Only published flows, and never the flow being edited.
  await expect(picker.locator("option", { hasText: "Greet a customer (v1)" })).toHaveCount(1);
  await expect(picker.locator("option", { hasText: "Signups with a greeting" })).toHaveCount(0);
  await picker.selectOption({ label: "Greet a customer (v1)" });
  await expect(node("call").getByLabel("Invalid configuration")).toHaveCount(0);
  await expect(inspector().getByRole("link", { name: "Open the called flow" })).toHaveAttribute("href", `/flows/${child.flowId}`);
  await snap(page, "call-flow-01-inspector");

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText(/Published version 1/)).toBeVisible();
  await page.getByRole("button", { name: "Activate" }).click();
  await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();

  const { endpoints } = (await (await page.request.get(`/api/v1/endpoints?flowId=${flowId}`)).json()) as { endpoints: { url: string }[] };
  const hook = await page.request.post(endpoints[0].url, { data: { name: "Ada" } });
  expect(hook.status()).toBe(202);
  const { runId } = (await hook.json()) as { runId: string };

  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("node-status-after")).toContainText("succeeded", { timeout: 30_000 });
  await page.getByRole("list", { name: "Steps" }).getByRole("button", { name: /Use greeting/ }).click();
  await expect(page.getByText('"message": "Hello Ada!"')).toBeVisible();
  await page.getByRole("list", { name: "Steps" }).getByRole("button", { name: /Greet/ }).first().click();
  const calledLink = page.getByRole("link", { name: /Greet a customer \(run / });
  await expect(calledLink).toBeVisible();
  await snap(page, "call-flow-02-parent-run");

  await calledLink.click();
  await expect(page.getByRole("heading", { name: /Greet a customer/ })).toBeVisible();
  await expect(page.getByText("succeeded", { exact: true }).first()).toBeVisible();
  const callerLink = page.getByRole("link", { name: /Signups with a greeting \(run / });
  await expect(callerLink).toHaveAttribute("href", `/runs/${runId}`);
  await snap(page, "call-flow-03-child-run");
});
