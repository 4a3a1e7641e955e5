// npm run bench:editor – how the visual builder copes with big flows in headless Chromium.
// Starts the app the way users do (npm start, fresh data dir), creates flows of 100, 500 and
// 1,000 nodes through the API, opens each in the builder and prints time to interactive and
// frame-time percentiles while dragging a node and while panning. Numbers only, never pass/fail.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";

const PORT = Number(process.env.BENCH_PORT || 3125);
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = `.bench-data-${PORT}`;
const SIZES = (process.env.BENCH_SIZES || "100,500,1000").split(",").map(Number);
const PASSWORD = "correct horse battery";

async function main() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  const server = spawn("npm", ["start"], {
    env: { ...process.env, PORT: String(PORT), DATA_DIR, PUBLIC_URL: BASE, SWITCHYARD_SECRET_KEY: "bench-only passphrase that is long enough to use" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  server.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  try {
    await waitForHealth(server);
    const browser = await chromium.launch(
      existsSync("/usr/bin/chromium")
        ? { executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] }
        : {},
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signUp(page);
    console.log(`bench:editor – headless Chromium, viewport 1280×800, ${process.platform} ${process.arch}, node ${process.version}`);
    console.log("nodes | view | time to interactive | rendered nodes | drag frame p50 / p95 / p99 / max | pan frame p50 / p95 / p99 / max");
    for (const size of SIZES) {
      const flowId = await createFlow(page, size);
      const { tti, rendered } = await openBuilder(page, flowId);
      // Fitted: the whole flow on screen (worst case). Then at 100 % zoom, where people edit.
      for (const view of ["fit", "100%"] as const) {
        if (view === "100%") await zoomToActualSize(page);
        const drag = await measureFrames(page, () => dragNode(page));
        const pan = await measureFrames(page, () => panCanvas(page));
        const visible = view === "fit" ? rendered : await page.locator(".react-flow__node").count();
        console.log(
          `${String(size).padStart(5)} | ${view.padEnd(4)} | ${(view === "fit" ? ms(tti) : "").padStart(19)} | ${String(visible).padStart(14)} | ${percentiles(drag).padStart(33)} | ${percentiles(pan)}`,
        );
      }
    }
    await browser.close();
  } finally {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
}

async function waitForHealth(server: ChildProcess) {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The app exited with code ${server.exitCode} before it was healthy`);
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("The app did not become healthy within 10 minutes");
}

async function signUp(page: Page) {
  await page.goto(`${BASE}/sign-up`);
  await page.getByLabel("Name").fill("Bench");
  await page.getByLabel("Email").fill("bench@example.com");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Flows" }).waitFor();
}

/** A trigger and size-1 transforms in a 25-column grid, each wired to the next (a long chain). */
function generateGraph(size: number) {
  const nodes = [{ id: "hook", kind: "webhook_trigger", name: "", config: { note: "" }, position: { x: 0, y: 0 } }];
  for (let i = 1; i < size; i++) {
    nodes.push({
      id: `step_${i}`,
      kind: "transform",
      name: `Step ${i}`,
      config: { mode: "fields", fields: [{ path: "value", value: `{{ trigger.body.n + ${i} }}` }], expression: "" } as never,
      position: { x: (i % 25) * 300, y: Math.floor(i / 25) * 140 },
    });
  }
  const edges = nodes.slice(1).map((node, i) => ({ id: `e${i}`, source: nodes[i].id, sourcePort: "out", target: node.id }));
  return { nodes, edges };
}

async function createFlow(page: Page, size: number): Promise<string> {
  const response = await page.request.post(`${BASE}/api/v1/flows`, { data: { name: `Bench ${size}`, graph: generateGraph(size) } });
  if (!response.ok()) throw new Error(`Creating the ${size}-node flow failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** From navigation to: nodes on screen, measured, and two quiet frames. */
async function openBuilder(page: Page, flowId: string): Promise<{ tti: number; rendered: number }> {
  await page.goto(`${BASE}/flows`);
  const started = Date.now();
  await page.goto(`${BASE}/flows/${flowId}`);
  await page.locator(".react-flow__node").first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".react-flow__node:not([style*='visibility: hidden'])").length > 0);
  await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
  const tti = Date.now() - started;
  return { tti, rendered: await page.locator(".react-flow__node").count() };
}

async function zoomToActualSize(page: Page) {
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  // Back to the fitted view (the pan above moved away), then zoom in on its middle.
  await page.mouse.click(pane.x + 5, pane.y + 5);
  await page.keyboard.press("Shift+F");
  await page.waitForTimeout(500);
  await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  // Ctrl + wheel zooms around the pointer, as a user would with a trackpad pinch.
  for (let i = 0; i < 40; i++) {
    const zoom = await page.evaluate(`(() => { const m = document.querySelector(".react-flow__viewport").style.transform.match(/scale\\(([^)]+)\\)/); return m ? Number(m[1]) : 1; })()`);
    if ((zoom as number) >= 0.95) break;
    await page.keyboard.down("Control");
    await page.mouse.wheel(0, -200);
    await page.keyboard.up("Control");
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(300);
  if (process.env.BENCH_DEBUG) console.log(await page.evaluate(`document.querySelector(".react-flow__viewport").style.transform + " nodes=" + document.querySelectorAll(".react-flow__node").length`));
}

async function measureFrames(page: Page, action: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx's helper names (__name) do not exist in the page.
  // Each recording has its own generation, so a frame callback left from the last one stops.
  await page.evaluate(`(() => {
    const generation = (window.__generation || 0) + 1;
    window.__generation = generation;
    window.__frames = [];
    window.__recording = true;
    const tick = (time) => { if (window.__generation !== generation) return; window.__frames.push(time); if (window.__recording) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await action();
  const frames = (await page.evaluate("(() => { window.__recording = false; return window.__frames; })()")) as number[];
  return frames.slice(1).map((time, i) => time - frames[i]);
}

async function dragNode(page: Page) {
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  // The node nearest the middle of the canvas.
  const target = (await page.evaluate(`(() => {
    const cx = ${pane.x + pane.width / 2}, cy = ${pane.y + pane.height / 2};
    let best = null;
    for (const element of document.querySelectorAll(".react-flow__node")) {
      const r = element.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2, d = (x - cx) ** 2 + (y - cy) ** 2;
      if (!best || d < best.d) best = { x, y, d };
    }
    return best;
  })()`)) as { x: number; y: number } | null;
  if (!target) throw new Error("No node on screen to drag");
  await page.mouse.move(target.x, target.y);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(target.x + i * 3, target.y + Math.sin(i / 6) * 40);
  await page.mouse.up();
}

async function panCanvas(page: Page) {
  const pane = (await page.locator(".react-flow__pane").boundingBox())!;
  // Panning starts on empty canvas: find a point where the pane itself is under the pointer.
  const spot = (await page.evaluate(`(() => {
    for (let y = ${pane.y + 10}; y < ${pane.y + pane.height - 150}; y += 7)
      for (let x = ${pane.x + 60}; x < ${pane.x + pane.width - 320}; x += 7) {
        const element = document.elementFromPoint(x, y);
        if (element && element.classList.contains("react-flow__pane")) return { x, y };
      }
    return null;
  })()`)) as { x: number; y: number } | null;
  if (!spot) throw new Error("No empty canvas to pan from");
  const { x, y } = spot;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) await page.mouse.move(x + i * 5, y + i * 3);
  await page.mouse.up();
}

function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

function percentiles(deltas: number[]): string {
  if (deltas.length === 0) return "no frames";
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return `${at(50).toFixed(1)} / ${at(95).toFixed(1)} / ${at(99).toFixed(1)} / ${sorted.at(-1)!.toFixed(1)} ms (${deltas.length} frames)`;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
