import { describe, expect, it } from "vitest";
import { PriorityGate } from "./priority-gate";
import { foregroundBusy, runAsBackgroundWork, trackForegroundRequest } from "./work-priority";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("PriorityGate", () => {
  it("runs one holder at a time and lets queued foreground work go before queued background work", async () => {
    const gate = new PriorityGate(10_000);
    const order: string[] = [];
    let active = 0;
    let maxActive = 0;
    const work = (name: string, ms = 5) => async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(ms);
      order.push(name);
      active--;
    };
    const first = gate.run(work("holder", 30));
    await sleep(1);
    const queued = [
      runAsBackgroundWork(() => gate.run(work("engine-1"))),
      gate.run(work("webhook-1")),
      runAsBackgroundWork(() => gate.run(work("engine-2"))),
      gate.run(work("webhook-2")),
    ];
    await Promise.all([first, ...queued]);
    expect(order).toEqual(["holder", "webhook-1", "webhook-2", "engine-1", "engine-2"]);
    expect(maxActive).toBe(1);
  });

  it("classifies work started inside runAsBackgroundWork as background across awaits and timers", async () => {
    const gate = new PriorityGate(10_000);
    const order: string[] = [];
    const holder = gate.run(() => sleep(300));
    await sleep(1);
    const background = runAsBackgroundWork(async () => {
      await sleep(1);
      await new Promise<void>((resolve) => setTimeout(() => resolve(), 1));
      await gate.run(async () => void order.push("background"));
    });
    await sleep(100);
    const foreground = gate.run(async () => void order.push("foreground"));
    await Promise.all([holder, background, foreground]);
    expect(order).toEqual(["foreground", "background"]);
  });

  it("gives waiting background work a turn once it waited maxBackgroundWaitMs, even under a stream of foreground work", async () => {
    const gate = new PriorityGate(40);
    let backgroundDoneAt = 0;
    let stop = false;
    const started = performance.now();
    // Four foreground callers that always queue again: the foreground lane is never empty.
    const foreground = Array.from({ length: 4 }, async () => {
      while (!stop) await gate.run(() => sleep(2));
    });
    await sleep(5);
    await runAsBackgroundWork(() => gate.run(async () => void (backgroundDoneAt = performance.now())));
    stop = true;
    await Promise.all(foreground);
    expect(backgroundDoneAt - started).toBeGreaterThanOrEqual(40);
    expect(backgroundDoneAt - started).toBeLessThan(1000);
  });

  it("keeps background work waiting at a free gate while the foreground is busy, until the burst ends", async () => {
    let busy = true;
    const gate = new PriorityGate(10_000, () => busy);
    let ranAt = 0;
    const started = performance.now();
    const background = runAsBackgroundWork(() => gate.run(async () => void (ranAt = performance.now())));
    await sleep(60);
    expect(ranAt).toBe(0); // nothing holds the gate, yet background work waits
    await gate.run(async () => {}); // foreground work still passes straight through
    expect(ranAt).toBe(0);
    busy = false;
    await background;
    expect(ranAt - started).toBeGreaterThanOrEqual(60);
  });

  it("gives background work held back by a burst its turn after maxBackgroundWaitMs", async () => {
    const gate = new PriorityGate(50, () => true);
    const started = performance.now();
    await runAsBackgroundWork(() => gate.run(async () => {}));
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(45);
    expect(waited).toBeLessThan(1000);
  });

  it("releases the gate when the work throws", async () => {
    const gate = new PriorityGate();
    await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(gate.run(async () => "next")).resolves.toBe("next");
  });
});

describe("foreground demand", () => {
  it("is busy while a foreground request is in flight and for a moment after the last one", async () => {
    expect(foregroundBusy()).toBe(false);
    const done = trackForegroundRequest();
    expect(foregroundBusy()).toBe(true);
    done();
    done(); // a second call changes nothing
    expect(foregroundBusy()).toBe(true);
    await sleep(60);
    expect(foregroundBusy()).toBe(false);
  });
});
