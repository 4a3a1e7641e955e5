// npm run bench:code – what one code step costs. Prints, for a typical step (reshape an order
// from the trigger, one console.log) and for one with a 1 MB input:
//  - cold start: first result from a fresh process (threads start, QuickJS's WebAssembly compiles);
//  - through the sandbox pool (what a code step pays: worker hop + fresh QuickJS runtime + run);
//  - in-thread on a warm module (fresh runtime + context + run, no worker hop): the floor;
//  - throughput with two callers in parallel.
// Numbers only, never pass/fail.
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import { executeInQuickJS } from "@/lib/code-sandbox/execute-in-quickjs";
import { DEFAULT_CODE_LIMITS } from "@/lib/code-sandbox/limits";
import { closeCodeSandbox, runCode } from "@/lib/code-sandbox/run-code";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 500);

const TYPICAL_SOURCE = `
const order = trigger.body.order;
const total = order.items.reduce((sum, item) => sum + item.qty * item.price, 0);
console.log("order", order.id, "total", total);
return { id: order.id, email: steps.lookup.customer.email, total, skus: order.items.map((item) => item.sku) };
`;

const typical = {
  trigger: { body: { order: { id: "ord_1042", items: Array.from({ length: 10 }, (_, i) => ({ sku: `SKU-${i}`, qty: 1 + (i % 3), price: 9.5 + i })) } }, headers: {}, query: {}, method: "POST", receivedAt: new Date().toISOString() },
  steps: { lookup: { customer: { email: "ada@example.com", tier: "gold" } } },
  run: { id: "run_1", flowId: "flow_1", attempt: 1 },
};

// ~1 MB of rows from an earlier HTTP step.
const large = {
  ...typical,
  steps: { ...typical.steps, rows: Array.from({ length: 8_000 }, (_, i) => ({ id: i, name: `Customer ${i}`, email: `customer${i}@example.com`, plan: i % 2 ? "pro" : "free", notes: "x".repeat(40) })) },
};
const LARGE_SOURCE = `return { pro: steps.rows.filter((row) => row.plan === "pro").length };`;

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return `p50 ${at(50).toFixed(2)} ms · p99 ${at(99).toFixed(2)} ms · max ${sorted.at(-1)?.toFixed(2)} ms`;
}

async function timeEach(count: number, once: () => Promise<unknown> | unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main() {
  console.log(`bench:code – QuickJS (${variant.type}, release build) · ${ITERATIONS} executions per line · ${process.platform} ${process.arch}, node ${process.version}`);
  console.log(`limits: ${DEFAULT_CODE_LIMITS.timeoutMs} ms, ${DEFAULT_CODE_LIMITS.memoryBytes / 1024 / 1024} MB per execution; input ${(JSON.stringify(typical).length / 1024).toFixed(1)} KB typical, ${(JSON.stringify(large).length / 1024 / 1024).toFixed(2)} MB large`);

  let started = performance.now();
  const first = await runCode(TYPICAL_SOURCE, typical);
  if (!first.ok) throw new Error(first.error.message);
  console.log(`cold start (threads start, WebAssembly compiles, first run): ${(performance.now() - started).toFixed(0)} ms`);

  for (const [label, source, input] of [
    ["typical", TYPICAL_SOURCE, typical],
    ["1 MB input", LARGE_SOURCE, large],
  ] as const) {
    const inWorker: number[] = [];
    const total = await timeEach(label === "typical" ? ITERATIONS : Math.ceil(ITERATIONS / 10), async () => {
      const result = await runCode(source, input);
      if (!result.ok) throw new Error(result.error.message);
      inWorker.push(result.durationMs);
    });
    console.log(`${label.padEnd(10)} · through the pool (what a step pays): ${percentiles(total)}`);
    console.log(`${label.padEnd(10)} · of which inside the thread (runtime + run): ${percentiles(inWorker)}`);
  }

  started = performance.now();
  const quickjs = await newQuickJSWASMModuleFromVariant(variant);
  console.log(`in-thread: QuickJS module load ${(performance.now() - started).toFixed(1)} ms (once per process/thread)`);
  const names = Object.keys(typical);
  const valuesJson = JSON.stringify(names.map((name) => typical[name as keyof typeof typical]));
  const direct = await timeEach(ITERATIONS, () => executeInQuickJS(quickjs, { source: TYPICAL_SOURCE, names, valuesJson, limits: DEFAULT_CODE_LIMITS }));
  console.log(`typical    · in-thread, warm module, fresh runtime each time (the floor): ${percentiles(direct)}`);

  const callers = 2;
  const perCaller = ITERATIONS;
  started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = 0; i < perCaller; i++) await runCode(TYPICAL_SOURCE, typical);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`throughput, ${callers} callers in parallel: ${((callers * perCaller) / seconds).toFixed(0)} code steps/s`);
  await closeCodeSandbox();
}

await main();
